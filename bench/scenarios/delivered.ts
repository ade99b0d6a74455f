import { auditDeliveries, type DeliveryAudit } from '../../test/faults/support/delivery-audit.js';
import type { FanoutServer } from '../../test/faults/support/fanout-server.js';
import type { Delivery } from '../../test/faults/support/presigned.js';
import { waitForEmptyQueue } from '../../test/faults/support/queue-metrics.js';
import type { DriveResult } from '../drive.js';

/** How the messages owed for the acknowledged deliveries of a run turned out. */
export interface DeliveryFigures {
  acknowledged: number;
  failed: number;
  lost: number;
  duplicated: number;
  /** Messages that matched no delivery sent (a forged or misrouted message). */
  unexpected: number;
  /** 429s the fake Slack answered: the worker paced too fast. */
  rateLimited: number;
  dead: number;
}

/**
 * Waits until the server's queue is empty, then counts the fake Slack's messages per
 * acknowledged delivery. The arrival of each message comes back for latency figures.
 */
export async function settleDeliveries(
  server: FanoutServer,
  deliveries: readonly Delivery[],
  sent: Pick<DriveResult, 'acknowledged' | 'failed'>,
  timeoutMs: number,
): Promise<{ figures: DeliveryFigures; audit: DeliveryAudit }> {
  const queue = await waitForEmptyQueue(server.baseUrl, timeoutMs);
  const audit = auditDeliveries(
    server.slack,
    new Map(deliveries.map((delivery) => [delivery.id, delivery.channel])),
    sent.acknowledged.map((delivery) => delivery.id),
  );
  return {
    audit,
    figures: {
      acknowledged: sent.acknowledged.length,
      failed: sent.failed,
      lost: audit.lost.length,
      duplicated: audit.duplicated.length,
      unexpected: audit.unexpected,
      rateLimited: server.slack.rateLimitedCount,
      dead: queue.dead,
    },
  };
}
