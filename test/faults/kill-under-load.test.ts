import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, expect, it } from 'vitest';
import { auditDeliveries } from './support/delivery-audit.js';
import { SLACK_RATE_LIMIT } from './support/fanout.js';
import { type FanoutServer, startFanoutServer } from './support/fanout-server.js';
import { byLength } from './support/fault-length.js';
import { presign } from './support/presigned.js';
import { waitForEmptyQueue } from './support/queue-metrics.js';
import { createSvixSender } from './support/svix-sender.js';

const CHANNELS = byLength(25, 50);
const PER_SECOND = byLength(40, 45);
const LOAD_SECONDS = byLength(3, 60);
const KILLS = byLength(1, 5);
/**
 * A job in flight when its process died is taken over once its lease has run out: the config's
 * 15 s at full length; shorter in `npm test`, where what counts is that none is lost or doubled.
 */
const LEASE_MS = byLength(3_000, 15_000);

let server: FanoutServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

it(
  `delivers every acknowledged event exactly once across ${KILLS} kill -9 under load`,
  async () => {
    // Slack answers a little late: a kill can land between a post and its answer.
    const fanout = await startFanoutServer({
      channels: CHANNELS,
      slack: { latencyMs: 20, rateLimit: SLACK_RATE_LIMIT },
      timing: { leaseMs: LEASE_MS },
    });
    server = fanout;
    const deliveries = presign(PER_SECOND * LOAD_SECONDS, CHANNELS);
    const svix = createSvixSender();
    const webhookUrl = () => fanout.webhookUrl;

    const load = svix.sendAtRate(deliveries, PER_SECOND, webhookUrl);
    for (let kill = 1; kill <= KILLS; kill++) {
      await sleep((LOAD_SECONDS * 1000) / (KILLS + 1));
      await fanout.kill();
      await fanout.restart();
    }
    await load;
    const unacknowledgedAfterLoad = deliveries.length - svix.acknowledged.size;
    // Like Svix, send again what was not acknowledged; a delivery stored before its answer was lost is a duplicate now.
    await svix.redeliver(webhookUrl, 30_000);
    const perChannel = Math.ceil(deliveries.length / CHANNELS);
    const queue = await waitForEmptyQueue(fanout.baseUrl, LEASE_MS + perChannel * 1_500 + 30_000);

    const audit = auditDeliveries(fanout.slack, svix.sent, svix.acknowledged);
    expect(unacknowledgedAfterLoad, 'the kills cut off some deliveries').toBeGreaterThan(0);
    expect(svix.acknowledged.size).toBe(deliveries.length);
    expect(audit.lost).toEqual([]);
    expect(audit.duplicated).toEqual([]);
    expect(audit.unexpected).toBe(0);
    expect(queue.dead).toBe(0);
  },
  byLength(90_000, 600_000),
);
