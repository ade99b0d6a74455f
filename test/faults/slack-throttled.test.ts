import { afterEach, expect, it } from 'vitest';
import { auditDeliveries } from './support/delivery-audit.js';
import { type FanoutServer, startFanoutServer } from './support/fanout-server.js';
import { byLength } from './support/fault-length.js';
import { presign } from './support/presigned.js';
import { waitForEmptyQueue } from './support/queue-metrics.js';
import { createSvixSender } from './support/svix-sender.js';

const CHANNELS = byLength(4, 10);
const EVENTS = byLength(12, 200);
/**
 * Longer than the worker's own pace per channel (Slack's 1 s at full length, 50 ms in
 * `npm test`), so only obeying Retry-After explains the wait.
 */
const PACE_MS = byLength(50, 1_000);
const RETRY_AFTER_SECONDS = byLength(1, 2);
/** Timers may fire a millisecond early by the wall clock. */
const CLOCK_SLACK_MS = 5;

let server: FanoutServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

it(
  'waits out each Retry-After and drops nothing when Slack answers 429 to half the posts',
  async () => {
    const fanout = await startFanoutServer({
      channels: CHANNELS,
      slack: { throttle: { share: 0.5, retryAfterSeconds: RETRY_AFTER_SECONDS } },
      timing: { pacing: [{ limit: 1, perMs: PACE_MS }] },
    });
    server = fanout;
    const svix = createSvixSender();
    await svix.sendAtRate(presign(EVENTS, CHANNELS), 100, () => fanout.webhookUrl);
    const perChannel = EVENTS / CHANNELS;
    const queue = await waitForEmptyQueue(fanout.baseUrl, perChannel * 2 * (RETRY_AFTER_SECONDS + 1) * 1_000);

    const { slack } = fanout;
    const audit = auditDeliveries(slack, svix.sent, svix.acknowledged);
    expect(audit.lost).toEqual([]);
    expect(audit.duplicated).toEqual([]);
    expect(queue.dead).toBe(0);
    const posts = slack.callsTo('chat.postMessage');

    const waits: number[] = [];
    for (const [index, post] of posts.entries()) {
      if (slack.statusOf(post) !== 429) continue;
      const next = posts.slice(index + 1).find((later) => later.body.channel === post.body.channel);
      if (next) waits.push(slack.receivedAt(next) - slack.receivedAt(post));
    }
    expect(waits.length).toBeGreaterThan(0);
    expect(Math.min(...waits)).toBeGreaterThanOrEqual(RETRY_AFTER_SECONDS * 1000 - CLOCK_SLACK_MS);
  },
  byLength(60_000, 600_000),
);
