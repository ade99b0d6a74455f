import type { FakeSlack, FakeSlackMessage } from '../../helpers/fake-slack.js';

/** What the fake Slack saw of a set of deliveries, each owed one message in one channel. */
export interface DeliveryAudit {
  /** Acknowledged deliveries with no message. */
  lost: string[];
  /** Deliveries, acknowledged or not, with more than one message. */
  duplicated: string[];
  /** Messages of no delivery that was sent, or in another channel than their delivery's. */
  unexpected: number;
  /** The arrival of each delivery's first message, ms since the epoch. */
  arrivals: Map<string, number>;
}

/**
 * Counts messages per delivery. An acknowledged delivery is owed exactly one; one sent but not
 * acknowledged (the connection broke first) at most one, since it may have been stored before
 * the answer was lost. Each post carries its job in Slack message metadata, with the event's
 * Svix id: that is how a message is traced back to the delivery that caused it.
 */
export function auditDeliveries(
  slack: FakeSlack,
  /** Svix id → channel of every delivery sent. */
  sent: ReadonlyMap<string, string>,
  acknowledged: Iterable<string>,
): DeliveryAudit {
  const counts = new Map<string, number>();
  const arrivals = new Map<string, number>();
  let unexpected = 0;
  for (const message of slack.messages) {
    const eventId = eventIdOf(message);
    if (eventId === undefined || sent.get(eventId) !== message.channel) {
      unexpected += 1;
      continue;
    }
    counts.set(eventId, (counts.get(eventId) ?? 0) + 1);
    if (!arrivals.has(eventId)) arrivals.set(eventId, slack.receivedAt(message));
  }
  return {
    lost: [...acknowledged].filter((id) => !counts.has(id)),
    duplicated: [...counts].filter(([, count]) => count > 1).map(([id]) => id),
    unexpected,
    arrivals,
  };
}

function eventIdOf(message: FakeSlackMessage): string | undefined {
  const metadata = message.metadata as { event_payload?: { event?: unknown } } | undefined;
  const id = metadata?.event_payload?.event;
  return typeof id === 'string' ? id : undefined;
}
