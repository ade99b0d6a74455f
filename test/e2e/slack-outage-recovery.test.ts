import { describe, expect, it } from 'vitest';
import type { FakeSlackMessage } from '../helpers/fake-slack.js';
import { fixtureEvent } from '../helpers/fixture-events.js';
import { serverWithFakeSlack } from '../helpers/server-with-fake-slack.js';
import { sendSigned } from '../helpers/signed-delivery.js';

const CUSTOM_FIELD = fixtureEvent('use_case_custom_field_updated').body;
const COMMENT = fixtureEvent('use_case_review_comment').body;
const OUTAGE_MS = 30_000;
const EVENTS = 20;

/** The event a post is about: the Svix id its job tagged it with (Slack message metadata). */
const eventOf = (message: FakeSlackMessage) =>
  (message.metadata as { event_payload?: { event?: string } } | undefined)?.event_payload?.event;

/**
 * Issue #17: while Slack is down one job probes it, the others wait on it; once it is back
 * they go at Slack's pace, oldest first. On the default backoff and Slack's own pace of one
 * post a second per channel, on a clock the test moves.
 */
describe('recovery after a Slack outage, from signed deliveries to the fake Slack', () => {
  const world = serverWithFakeSlack({ testClock: true });
  const advanceUntil = <T>(check: () => T | Promise<T>) =>
    world.clock.advanceUntil(check, { stepMs: 100, timeoutMs: 60_000 });

  /** Events of the custom-field type go to #ai-reviews, comments to #ai-comments. */
  const TWO_CHANNELS = {
    destinations: {
      reviews: { slack: { channel: '#ai-reviews' } },
      comments: { slack: { channel: '#ai-comments' } },
    },
    routes: [
      { match: { events: ['use_case_custom_field_updated'] }, to: ['reviews'] },
      { match: { events: ['use_case_review_comment'] }, to: ['comments'] },
    ],
  };

  it.each([
    ['answers 503', 1, 'unavailable' as const],
    ['is unreachable', 1, true],
    ['answers 503', 2, 'unavailable' as const],
  ])(
    `sends the 20 events held while Slack %s for 30 s within 25 s of its end, in order, for ≤ 20 calls (%i channel(s))`,
    async (_, channels, outage) => {
      const server = await world.start(TWO_CHANNELS);
      const { slack, clock } = world;
      slack.setDown(outage);
      const end = clock.now() + OUTAGE_MS;
      const sent = new Map<string, string[]>([
        ['ai-reviews', []],
        ['ai-comments', []],
      ]);
      for (let index = 0; index < EVENTS; index += 1) {
        const id = `msg_outage_${String(index).padStart(2, '0')}`;
        const toComments = channels === 2 && index % 2 === 1;
        const body = toComments ? COMMENT : CUSTOM_FIELD;
        expect((await sendSigned(server.webhookUrl, body, { id })).status).toBe(200);
        sent.get(toComments ? 'ai-comments' : 'ai-reviews')?.push(id);
        await clock.advance(OUTAGE_MS / EVENTS / 2);
      }
      await advanceUntil(() => expect(clock.now()).toBeGreaterThanOrEqual(end));
      const callsDuringOutage = slack.refusedCount;
      slack.setDown(false);

      await advanceUntil(() => expect(slack.messages).toHaveLength(EVENTS));
      expect(callsDuringOutage).toBeGreaterThan(0);
      // One probe for all of Slack, not one per channel.
      expect(callsDuringOutage).toBeLessThanOrEqual(20);
      for (const [channel, ids] of sent) {
        const inChannel = slack.messages.filter((message) => message.channel === slack.channelIdFor(channel));
        expect(inChannel.map(eventOf)).toEqual(ids);
      }
      const last = Math.max(...slack.messages.map((message) => slack.receivedAt(message)));
      expect(last - end).toBeLessThanOrEqual(25_000);
      expect((await server.runtime.store.stats()).dead).toBe(0);
    },
    120_000,
  );

  it('lets the next events of a channel go while a message Slack refused alone waits for its retry', async () => {
    const server = await world.start({
      destinations: { reviews: { slack: { channel: '#ai-reviews' } } },
      routes: [{ match: { events: ['*'] }, to: ['reviews'] }],
    });
    const { slack } = world;
    // A code credo-notify does not know: retried, but about this message only.
    slack.answerNext('chat.postMessage', { error: 'e2e_code_slack_invents_next_year' });
    await sendSigned(server.webhookUrl, CUSTOM_FIELD, { id: 'msg_refused' });
    await advanceUntil(() => expect(slack.callsTo('chat.postMessage')).toHaveLength(1));
    await sendSigned(server.webhookUrl, CUSTOM_FIELD, { id: 'msg_next' });

    await advanceUntil(() => expect(slack.messages).toHaveLength(2));
    expect(slack.messages.map(eventOf)).toEqual(['msg_next', 'msg_refused']);
  });

  it("holds only the channel a 429 names, for its Retry-After, and keeps that channel's order", async () => {
    const server = await world.start(TWO_CHANNELS);
    const { slack, clock } = world;
    const start = clock.now();
    slack.answerNext('chat.postMessage', { status: 429, retryAfterSeconds: 30 });
    await sendSigned(server.webhookUrl, CUSTOM_FIELD, { id: 'msg_reviews_1' });
    await advanceUntil(() => expect(slack.rateLimitedCount).toBe(1));
    await sendSigned(server.webhookUrl, CUSTOM_FIELD, { id: 'msg_reviews_2' });
    for (const id of ['msg_comments_1', 'msg_comments_2', 'msg_comments_3']) {
      await sendSigned(server.webhookUrl, COMMENT, { id });
    }

    await advanceUntil(() => expect(slack.messages).toHaveLength(5));
    const inChannel = (name: string) =>
      slack.messages.filter((message) => message.channel === slack.channelIdFor(name));
    const comments = inChannel('ai-comments');
    expect(comments.map(eventOf)).toEqual(['msg_comments_1', 'msg_comments_2', 'msg_comments_3']);
    // The other channel went at its own pace meanwhile, not after the Retry-After.
    expect(slack.receivedAt(comments.at(-1) as FakeSlackMessage) - start).toBeLessThan(10_000);
    const reviews = inChannel('ai-reviews');
    expect(reviews.map(eventOf)).toEqual(['msg_reviews_1', 'msg_reviews_2']);
    expect(slack.receivedAt(reviews[0] as FakeSlackMessage) - start).toBeGreaterThanOrEqual(30_000);
    // One throttled post, and nothing to that channel again before its Retry-After ran out.
    const reviewPosts = slack
      .callsTo('chat.postMessage')
      .filter((call) => call.body.channel === '#ai-reviews');
    expect(reviewPosts).toHaveLength(3);
  });
});
