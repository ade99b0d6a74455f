import { describe, expect, it } from 'vitest';
import type { FakeSlackCall } from '../helpers/fake-slack.js';
import { fixtureEvent, loadFixtureEvents } from '../helpers/fixture-events.js';
import { serverWithFakeSlack, TEST_BOT_TOKEN } from '../helpers/server-with-fake-slack.js';
import { sendSigned, TEST_SECRET } from '../helpers/signed-delivery.js';
import { eventually } from '../helpers/test-server.js';

const fixtures = loadFixtureEvents();
const REVIEW_STATUS = fixtureEvent('use_case_review_status_updated').body;
const CUSTOM_FIELD = fixtureEvent('use_case_custom_field_updated').body;

/** Review events to #ai-reviews, everything else to C0GOVERNANCE. */
const TWO_CHANNELS = {
  destinations: {
    governance: { slack: { channel: 'C0GOVERNANCE' } },
    reviews: { slack: { channel: '#ai-reviews' } },
  },
  routes: [
    { name: 'reviews', match: { events: ['use_case_review_*'] }, to: ['reviews'] },
    { name: 'everything else', match: { events: ['*'] }, to: ['governance'] },
  ],
};

/** The whole path: signed HTTP delivery → route → render → fake Slack. */
describe('delivery to Slack', () => {
  const world = serverWithFakeSlack();
  const start = (overrides: Record<string, unknown> = {}) => world.start({ ...TWO_CHANNELS, ...overrides });
  const posts = () => world.slack.callsTo('chat.postMessage');

  it('brings each example event to the channel its route names, as Block Kit', async () => {
    const server = await start();
    for (const f of fixtures) {
      const response = await sendSigned(server.webhookUrl, f.body);
      expect(response.status).toBe(200);
    }
    await eventually(() => expect(posts()).toHaveLength(fixtures.length));
    for (const f of fixtures) {
      const channel = f.eventType.startsWith('use_case_review_')
        ? world.slack.channelIdFor('ai-reviews')
        : 'C0GOVERNANCE';
      const useCaseId = String(f.envelope.data.useCaseId);
      const post = posts().find(
        (p) =>
          JSON.stringify(p.body.blocks).includes(useCaseId) &&
          [channel, '#ai-reviews'].includes(String(p.body.channel)),
      );
      expect(post, `${f.name} reached ${channel}`).toBeDefined();
      expect(post?.authorization).toBe(`Bearer ${TEST_BOT_TOKEN}`);
      expect(Array.isArray(post?.body.blocks)).toBe(true);
    }
  });

  it('shows the new status readably, with a link into Credo AI', async () => {
    const server = await start({
      credo: { auth: { secrets: [TEST_SECRET] }, appUrl: 'https://app.credo.ai/acme' },
    });
    await sendSigned(server.webhookUrl, REVIEW_STATUS);
    const [post] = await eventually(() => {
      expect(posts()).toHaveLength(1);
      return posts();
    });
    const text = JSON.stringify(post?.body.blocks);
    expect(text).toContain('In progress');
    expect(text).toContain('https://app.credo.ai/acme/use-cases/ZiSPid3wLeXWTe4VTRjbq9');
    expect(String(post?.body.text)).toContain('In progress');
  });

  it('dead-letters a permanent failure at once with the reason, and other channels still get theirs', async () => {
    const server = await start({
      routes: [{ match: { events: ['*'] }, to: ['governance', 'reviews'] }],
    });
    world.slack.answerNext('chat.postMessage', { error: 'channel_not_found' });
    await sendSigned(server.webhookUrl, CUSTOM_FIELD);
    await eventually(async () => {
      const jobs = await server.runtime.store.listJobs({});
      expect(jobs.map((j) => j.state).sort()).toEqual(['dead', 'done']);
    });
    const [dead] = await server.runtime.store.listJobs({ state: 'dead' });
    expect(dead?.lastError).toContain('channel_not_found');
    expect(dead?.attempts).toBe(1);
    expect(posts()).toHaveLength(2);
  });

  it('posts to an incoming webhook destination', async () => {
    const server = await start({
      destinations: { legacy: { slackWebhook: { url: world.slack.webhookUrl } } },
      routes: [{ match: { events: ['*'] }, to: ['legacy'] }],
    });
    await sendSigned(server.webhookUrl, REVIEW_STATUS);
    const [call] = await eventually(() => {
      expect(world.slack.callsTo('webhook')).toHaveLength(1);
      return world.slack.callsTo('webhook');
    });
    expect(call?.body.text).toContain('In progress');
    expect(Array.isArray(call?.body.blocks)).toBe(true);
  });

  it('logs and counts an event no route matches, without failing the delivery', async () => {
    const server = await start({
      routes: [{ match: { events: ['use_case_name_updated'] }, to: ['governance'] }],
    });
    const response = await sendSigned(server.webhookUrl, REVIEW_STATUS);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: 'accepted', deliveries: 0 });
  });
});

/** Backoff, Retry-After and pacing on a clock the test moves: none is waited out for real. */
describe('delivery to Slack over time', () => {
  const world = serverWithFakeSlack({ testClock: true });
  const start = (overrides: Record<string, unknown> = {}) => world.start({ ...TWO_CHANNELS, ...overrides });
  const posts = () => world.slack.callsTo('chat.postMessage');
  /** Moves time on a tenth of a second at a time until `check` passes. */
  const advanceUntil = <T>(check: () => T | Promise<T>) => world.clock.advanceUntil(check, { stepMs: 100 });

  it('retries a 5xx and delivers once Slack is back', async () => {
    const server = await start();
    world.slack.answerNext('chat.postMessage', { status: 503 });
    await sendSigned(server.webhookUrl, CUSTOM_FIELD);
    // Read within the wait: the second post is out a moment before its job is recorded as done.
    const [job] = await advanceUntil(async () => {
      expect(posts()).toHaveLength(2);
      const jobs = await server.runtime.store.listJobs({});
      expect(jobs.map((j) => j.state)).toEqual(['done']);
      return jobs;
    });
    expect(job?.attempts).toBe(2);
  });

  it('waits exactly as long as a 429 Retry-After asks before the next try', async () => {
    const server = await start();
    world.slack.answerNext('chat.postMessage', { status: 429, retryAfterSeconds: 2 });
    await sendSigned(server.webhookUrl, CUSTOM_FIELD);
    // Waiting out the Retry-After: tried once and pending again. Read within the wait: the post
    // is answered a moment before the retry is recorded.
    const [waiting] = await advanceUntil(async () => {
      expect(posts()).toHaveLength(1);
      const jobs = await server.runtime.store.listJobs({ state: 'pending' });
      expect(jobs.map((j) => j.attempts)).toEqual([1]);
      return jobs;
    });
    const [first] = posts() as [FakeSlackCall];
    const firstAt = world.slack.receivedAt(first);
    expect(waiting?.attempts).toBe(1);
    // The store holds the channel until then (issue #17): no instance may claim its job before.
    const claimedEarly = await server.runtime.store.claimJobs({
      now: firstAt + 1_999,
      limit: 10,
      leaseMs: 60_000,
    });
    expect(claimedEarly).toEqual([]);
    const [, second] = await advanceUntil(() => {
      expect(posts()).toHaveLength(2);
      return posts() as [FakeSlackCall, FakeSlackCall];
    });
    expect(world.slack.receivedAt(second) - firstAt).toBeGreaterThanOrEqual(2_000);
  });

  it('stops retrying at the configured attempt limit', async () => {
    const server = await start({ delivery: { maxAttempts: 2 } });
    world.slack.answerNext('chat.postMessage', { status: 500 }, { status: 500 });
    await sendSigned(server.webhookUrl, CUSTOM_FIELD);
    const dead = await advanceUntil(async () => {
      const [job] = await server.runtime.store.listJobs({ state: 'dead' });
      expect(job).toBeDefined();
      return job;
    });
    expect(dead?.lastError).toMatch(/gave up after 2 attempts/);
  });
});

describe('delivery to Slack under its rate limit', () => {
  // The fake counts its limit on the test's clock, as the server paces on it.
  const world = serverWithFakeSlack({ rateLimit: { messages: 1, perMs: 1_000 }, testClock: true });

  it('paces a burst to one channel at one message per second: all delivered, no 429', async () => {
    const server = await world.start(TWO_CHANNELS);
    for (let i = 0; i < 3; i += 1) await sendSigned(server.webhookUrl, CUSTOM_FIELD);
    await world.clock.advanceUntil(() => expect(world.slack.callsTo('chat.postMessage')).toHaveLength(3), {
      stepMs: 100,
    });
    expect(world.slack.rateLimitedCount).toBe(0);
  });
});
