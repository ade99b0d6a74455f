import { describe, expect, it } from 'vitest';
import { fixtureEvent } from '../helpers/fixture-events.js';
import { serverWithFakeSlack } from '../helpers/server-with-fake-slack.js';
import { sendSigned } from '../helpers/signed-delivery.js';

const CUSTOM_FIELD = fixtureEvent('use_case_custom_field_updated').body;
const TO_REVIEWS = {
  destinations: { reviews: { slack: { channel: '#ai-reviews' } } },
  routes: [{ match: { events: ['*'] }, to: ['reviews'] }],
};

/** Slack's error codes as the whole product meets them, on a clock the test moves (issue #16). */
describe('Slack error codes, from a signed delivery to the fake Slack', () => {
  const world = serverWithFakeSlack({ testClock: true });
  const posts = () => world.slack.callsTo('chat.postMessage');
  /** Moves time on a tenth of a second at a time until `check` passes. */
  const advanceUntil = <T>(check: () => T | Promise<T>) => world.clock.advanceUntil(check, { stepMs: 100 });
  const jobsOf = async () => (await world.server.runtime.store.listJobs({})).map((job) => job.state);

  it.each(['rate_limited', 'team_added_to_org'])(
    'retries %s (HTTP 200, ok: false), which Slack documents as passing, and delivers',
    async (code) => {
      const server = await world.start(TO_REVIEWS);
      world.slack.answerNext('chat.postMessage', { error: code });
      await sendSigned(server.webhookUrl, CUSTOM_FIELD);

      await advanceUntil(async () => expect(await jobsOf()).toEqual(['done']));
      expect(posts().map((post) => world.slack.statusOf(post))).toEqual([200, 200]);
      expect(world.slack.messages).toHaveLength(1);
    },
  );

  it('tries a code it does not know 4 times, then dead-letters it, with one log line per code', async () => {
    const lines: Array<Record<string, unknown>> = [];
    const server = await world.start(TO_REVIEWS, { onLog: (line) => lines.push(line) });
    // Unknown codes are reported once per process, and the shared lane's files share one process.
    const code = `e2e_code_slack_invents_next_year_${Date.now()}`;
    world.slack.answerNext('chat.postMessage', ...Array(4).fill({ error: code }));
    await sendSigned(server.webhookUrl, CUSTOM_FIELD);

    const dead = await advanceUntil(async () => {
      const [job] = await server.runtime.store.listJobs({ state: 'dead' });
      expect(job).toBeDefined();
      return job;
    });
    expect(dead?.attempts).toBe(4);
    expect(dead?.lastError).toMatch(
      /^CN_RETRIES_EXHAUSTED: gave up after 4 attempts: CN_SLACK_UNKNOWN_ERROR: /,
    );
    expect(posts()).toHaveLength(4);
    expect(lines.filter((line) => line.slackError === code)).toHaveLength(1);
  });

  it('dead-letters not_in_channel at once, saying which channel to invite the bot to', async () => {
    const server = await world.start(TO_REVIEWS);
    world.slack.answerNext('chat.postMessage', { error: 'not_in_channel' });
    await sendSigned(server.webhookUrl, CUSTOM_FIELD);

    const dead = await advanceUntil(async () => {
      const [job] = await server.runtime.store.listJobs({ state: 'dead' });
      expect(job).toBeDefined();
      return job;
    });
    expect(dead?.attempts).toBe(1);
    expect(dead?.lastError).toBe(
      'CN_SLACK_NOT_IN_CHANNEL: not_in_channel: invite the bot to #ai-reviews (`/invite @Credo AI`)',
    );
  });

  it('finds the post of a #name destination whose answer was lost, by its channel id, and posts once', async () => {
    const server = await world.start(TO_REVIEWS);
    world.slack.answerNext('chat.postMessage', { lostAnswer: true });
    await sendSigned(server.webhookUrl, CUSTOM_FIELD);

    await advanceUntil(async () => expect(await jobsOf()).toEqual(['done']));
    const id = world.slack.channelIdFor('ai-reviews');
    expect(world.slack.messages.map((message) => message.channel)).toEqual([id]);
    expect(world.slack.callsTo('conversations.history').map((call) => call.body.channel)).toEqual([id]);
    const [job] = await server.runtime.store.listJobs({});
    expect(job?.attempts).toBe(2);
  });
});
