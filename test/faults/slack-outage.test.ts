import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, expect, it } from 'vitest';
import { auditDeliveries } from './support/delivery-audit.js';
import { SLACK_RATE_LIMIT } from './support/fanout.js';
import { type FanoutServer, startFanoutServer } from './support/fanout-server.js';
import { byLength } from './support/fault-length.js';
import { presign } from './support/presigned.js';
import { waitForEmptyQueue } from './support/queue-metrics.js';
import { createSvixSender } from './support/svix-sender.js';

const OUTAGE_MS = byLength(3_000, 30_000);
const CHANNELS = byLength(10, 20);
const EVENTS = byLength(30, 300);
/**
 * Backoff doubles with full jitter (from 2 s, as users run it, at full length; from 100 ms in
 * `npm test`): after an outage of T, the next try comes within about 2T.
 */
const BACKOFF = byLength({ baseMs: 100, factor: 2, capMs: 10 * 60_000 }, undefined);
const RECOVERY_MS = 2 * OUTAGE_MS + 30_000;

let server: FanoutServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

it(
  `delivers everything once Slack is back after ${OUTAGE_MS / 1000} s unreachable`,
  async () => {
    const fanout = await startFanoutServer({
      channels: CHANNELS,
      slack: { rateLimit: SLACK_RATE_LIMIT },
      timing: { backoff: BACKOFF },
    });
    server = fanout;
    const svix = createSvixSender();
    fanout.slack.setDown(true);
    // Events keep coming during the outage; each is acknowledged, and must wait, not be dropped.
    await svix.sendAtRate(
      presign(EVENTS, CHANNELS),
      (EVENTS * 1000) / (OUTAGE_MS / 2),
      () => fanout.webhookUrl,
    );
    await sleep(OUTAGE_MS / 2);
    const failedSends = fanout.process.lines.filter((line) => line.includes('delivery failed, will retry'));
    fanout.slack.setDown(false);
    const queue = await waitForEmptyQueue(fanout.baseUrl, RECOVERY_MS + (EVENTS / CHANNELS) * 1_000);

    const audit = auditDeliveries(fanout.slack, svix.sent, svix.acknowledged);
    expect(failedSends.length, 'sends failed during the outage').toBeGreaterThan(0);
    expect(svix.acknowledged.size).toBe(EVENTS);
    expect(audit.lost).toEqual([]);
    expect(audit.duplicated).toEqual([]);
    expect(queue.dead).toBe(0);
  },
  byLength(90_000, 600_000),
);
