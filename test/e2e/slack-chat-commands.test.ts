import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SNAPSHOT_REFRESH_MS } from '../../src/subscriptions/subscription-snapshot.js';
import { type FakeSlack, startFakeSlack } from '../helpers/fake-slack.js';
import { fixtureEvent } from '../helpers/fixture-events.js';
import { serverWithFakeSlack, TEST_BOT_TOKEN } from '../helpers/server-with-fake-slack.js';
import { sendSigned } from '../helpers/signed-delivery.js';
import {
  type SlashCommand,
  sendSlashCommand,
  slackHeaders,
  slashCommandBody,
  TEST_SIGNING_SECRET,
} from '../helpers/signed-slack-request.js';
import { createTestClock, type TestClock } from '../helpers/test-clock.js';
import { eventually, startTestServer, type TestServer } from '../helpers/test-server.js';
import { type FreshSchema, freshSchema, postgresUrl } from '../setup/fresh-postgres.js';

/**
 * Issue 17's "Done when", on Slack: signed `/credo` commands to the running server, then signed
 * Credo AI deliveries, and what reaches the fake Slack.
 */
const UC_X = 'ZiSPid3wLeXWTe4VTRjbq9';
const REVIEW = fixtureEvent('use_case_review_status_updated').body;
const TASK = fixtureEvent('use_case_review_task_status_updated').body;
const JOHN = 'MMC8qELwNoq9V27Y2cvqHf';
const COMMENT_TAGGING_JOHN = fixtureEvent('use_case_review_comment').body;
/** Where the channel's own subscriptions go; the bot was invited there. */
const SUBSCRIBED = 'C0SUBSCRIBED';

interface Answer {
  status: number;
  text: string;
  /** Every line the person sees, summary first. */
  lines: string[];
}

describe('the /credo slash command, end to end (issue 17)', () => {
  const world = serverWithFakeSlack();
  const start = (overrides: Record<string, unknown> = {}) => {
    world.slack.channels.set(SUBSCRIBED, { name: 'subscribed', isMember: true });
    world.slack.channels.set('C0GOVERNANCE', { name: 'governance', isMember: true });
    return world.start({
      slack: { botToken: TEST_BOT_TOKEN, apiUrl: world.slack.url, signingSecret: TEST_SIGNING_SECRET },
      destinations: { governance: { slack: { channel: 'C0GOVERNANCE' } } },
      routes: [{ name: 'comments', match: { events: ['use_case_review_comment'] }, to: ['governance'] }],
      mentions: { users: { [JOHN]: { slack: 'U0JOHN' } } },
      ...overrides,
    });
  };
  const eventsUrl = () => `${world.server.baseUrl}/slack/events`;
  const command = async (text: string, fields: Partial<SlashCommand> = {}): Promise<Answer> => {
    const sent = await sendSlashCommand(eventsUrl(), {
      text,
      responseUrl: world.slack.responseUrl(),
      channelId: SUBSCRIBED,
      userId: 'U0ALICE',
      ...fields,
    });
    const text_ = await sent.text();
    const blocks =
      sent.status === 200 ? (JSON.parse(text_) as { blocks: Array<{ text: { text: string } }> }).blocks : [];
    return {
      status: sent.status,
      text: text_,
      lines: blocks.flatMap((block) => block.text.text.split('\n')),
    };
  };
  /** Signs and sends a Credo AI event; resolves to the deliveries the server planned for it. */
  const deliver = async (body: string) => {
    const answer = await sendSigned(world.server.webhookUrl, body);
    expect(answer.status).toBe(200);
    return ((await answer.json()) as { deliveries: number }).deliveries;
  };
  const postsTo = (channel: string) => world.slack.messages.filter((message) => message.channel === channel);

  it("sends a subscribed use case's reviews to the channel, not its tasks; unsubscribe stops them", async () => {
    await start();

    const subscribed = await command(`subscribe ${UC_X} reviews`);
    expect(subscribed.status).toBe(200);
    expect(JSON.parse(subscribed.text)).toMatchObject({ response_type: 'ephemeral' });
    expect(subscribed.lines[0]).toBe(`Subscribed this channel to reviews of ${UC_X}.`);

    expect(await deliver(REVIEW)).toBe(1);
    await eventually(() => expect(postsTo(SUBSCRIBED)).toHaveLength(1));
    expect(JSON.stringify(postsTo(SUBSCRIBED)[0]?.blocks)).toContain(UC_X);
    expect(await deliver(TASK)).toBe(0);

    const unsubscribed = await command(`unsubscribe ${UC_X}`);
    expect(unsubscribed.lines[0]).toBe(`Unsubscribed this channel from ${UC_X}.`);
    expect(await deliver(REVIEW)).toBe(0);
    expect(postsTo(SUBSCRIBED)).toHaveLength(1);
  });

  it("lists the channel's subscriptions and the YAML routes that send there, read-only", async () => {
    await start();
    await command(`subscribe ${UC_X} reviews`, { channelId: 'C0GOVERNANCE', userName: 'alice' });

    const listed = await command('list', { channelId: 'C0GOVERNANCE' });

    expect(listed.lines).toEqual([
      'Sent to this channel: 1 subscription, 1 route.',
      `${UC_X}: reviews (by alice)`,
      'route "comments": use_case_review_comment (read-only: a route in credo-notify\'s config)',
    ]);
  });

  it('changes nothing for a person subscriptions.allow does not list', async () => {
    await start({ subscriptions: { allow: ['U0ADMIN'] } });

    const refused = await command(`subscribe ${UC_X} reviews`, { userId: 'U0BOB' });

    expect(refused.status).toBe(200);
    expect(refused.lines[0]).toContain("You may not change this channel's subscriptions");
    expect(await deliver(REVIEW)).toBe(0);
    expect((await command('list', { userId: 'U0BOB' })).lines[0]).toBe(
      'Nothing is sent to this channel yet.',
    );
  });

  it('changes nothing for a wrong signature, a stale timestamp or missing headers (401)', async () => {
    await start();
    const body = slashCommandBody({
      text: `subscribe ${UC_X}`,
      responseUrl: world.slack.responseUrl(),
      channelId: SUBSCRIBED,
    });
    const now = Math.floor(Date.now() / 1000);
    const attempts = [
      slackHeaders(body, { secret: 'not-the-signing-secret' }),
      slackHeaders(body, { timestamp: now - 5 * 60 - 1 }),
      { 'content-type': 'application/x-www-form-urlencoded' },
    ];

    for (const headers of attempts) {
      expect((await fetch(eventsUrl(), { method: 'POST', headers, body })).status).toBe(401);
    }
    expect(await deliver(REVIEW)).toBe(0);
    expect(await world.server.runtime.chat.subscriptions.list()).toEqual([]);
  });

  it('stops the direct messages of a person who says `/credo me dm off`', async () => {
    await start();
    world.slack.users.set('john.doe@acme.com', 'U0JOHN');
    const dmsToJohn = () => postsTo('D0JOHN');
    await deliver(COMMENT_TAGGING_JOHN);
    await eventually(() => expect(dmsToJohn()).toHaveLength(1));

    const off = await command('me dm off', { channelId: 'D0JOHN', userId: 'U0JOHN' });
    expect(off.lines[0]).toBe("Direct messages off: I won't write to you directly, on any platform.");
    expect(await deliver(COMMENT_TAGGING_JOHN)).toBe(2);

    // Both DM jobs settled, and the comment itself reached the channel again: only the DM is gone.
    await eventually(async () => {
      const jobs = await world.server.runtime.store.listJobs({});
      expect(jobs.filter((job) => job.destination.startsWith('dm:') && job.state === 'done')).toHaveLength(2);
      expect(postsTo('C0GOVERNANCE')).toHaveLength(2);
    });
    expect(dmsToJohn()).toHaveLength(1);
    // Said by email too (Slack's users.info gave it): their Teams DMs stop as well.
    const onTeams = {
      platform: 'teams' as const,
      chatUserId: 'entra-id-of-john',
      email: 'john.doe@acme.com',
    };
    expect((await world.server.runtime.chat.preferences.latestOf(onTeams))?.dm).toBe('off');
  });

  it('does not serve /slack/events without slack.signingSecret', async () => {
    await start({ slack: { botToken: TEST_BOT_TOKEN, apiUrl: world.slack.url } });

    expect((await command('help')).status).toBe(404);
  });
});

describe.skipIf(!postgresUrl)('/credo across two instances on PostgreSQL (issue 17)', () => {
  let schema: FreshSchema;
  let slack: FakeSlack;
  let servers: TestServer[];
  beforeEach(async () => {
    schema = await freshSchema();
    slack = await startFakeSlack();
    slack.channels.set(SUBSCRIBED, { name: 'subscribed', isMember: true });
    servers = [];
  });
  afterEach(async () => {
    await Promise.all(servers.map((server) => server.close()));
    await slack.close();
    await schema.drop();
  });
  const start = async (clock?: TestClock) => {
    const server = await startTestServer(
      {
        store: { url: schema.url },
        slack: { botToken: TEST_BOT_TOKEN, apiUrl: slack.url, signingSecret: TEST_SIGNING_SECRET },
        destinations: {},
        routes: [],
      },
      { clock },
    );
    servers.push(server);
    return server;
  };

  it('routes an event received by the other instance to the channel subscribed through the first', async () => {
    const clock = createTestClock();
    const [made, other] = [await start(), await start(clock)];
    expect((await sendSigned(other.webhookUrl, REVIEW)).status).toBe(200);

    const answer = await sendSlashCommand(`${made.baseUrl}/slack/events`, {
      text: `subscribe ${UC_X} reviews`,
      responseUrl: slack.responseUrl(),
      channelId: SUBSCRIBED,
    });
    expect(answer.status).toBe(200);

    // Once the other's snapshot is 5 s old, it routes by the subscription.
    await clock.advance(SNAPSHOT_REFRESH_MS);
    expect((await sendSigned(other.webhookUrl, REVIEW)).status).toBe(200);
    await clock.advanceUntil(
      () => expect(slack.messages.filter((message) => message.channel === SUBSCRIBED)).toHaveLength(1),
      { stepMs: 100 },
    );
  });
});
