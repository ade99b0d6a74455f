import type { Clock } from '../clock.js';
import type { Logger } from '../log.js';
import type { ChatSubscription, SubscriptionBook } from './subscription-book.js';

/**
 * The chat subscriptions as routing reads them: a copy of the store's, read again once it is
 * `refreshMs` old, so a change made on another instance routes the next event within that
 * time, at the cost of one read per period. The instance that made a change says `changed()`
 * and routes by it at once.
 */
export interface SubscriptionSnapshot {
  current(): Promise<readonly ChatSubscription[]>;
  changed(): void;
}

/** What the issue promises: a change applies to the next event on every instance within 5 s. */
export const SNAPSHOT_REFRESH_MS = 5_000;

/**
 * The longest an event waits for a read under way; past it, it is routed by the copy at hand. A
 * stalled store would otherwise cost the delivery its read here and then its accept, and its 503
 * would come after two query timeouts instead of one.
 */
export const SNAPSHOT_WAIT_MS = 250;

export function createSubscriptionSnapshot(options: {
  book: Pick<SubscriptionBook, 'list'>;
  clock: Clock;
  log: Logger;
  refreshMs?: number;
}): SubscriptionSnapshot {
  const { book, clock, log } = options;
  const refreshMs = options.refreshMs ?? SNAPSHOT_REFRESH_MS;
  let held: readonly ChatSubscription[] = [];
  let readAt = Number.NEGATIVE_INFINITY;
  let reading: Promise<readonly ChatSubscription[]> | undefined;

  const read = () => {
    // One read at a time, shared by every event that arrives meanwhile.
    reading ??= (async () => {
      const startedAt = clock.now();
      try {
        held = await book.list();
        readAt = startedAt;
      } catch (error) {
        // Routing goes on with the copy it has: a store that fails here fails the accept anyway.
        log.warn({ err: error, code: 'CN_CHAT_STORE_FAILED' }, 'chat subscriptions could not be read again');
      } finally {
        reading = undefined;
      }
      return held;
    })();
    return reading;
  };

  const readWithin = async (ms: number) => {
    const timer = new AbortController();
    const waited = clock.sleep(ms, timer.signal).then(() => held);
    try {
      return await Promise.race([read(), waited]);
    } finally {
      timer.abort();
    }
  };

  return {
    current: () => (clock.now() - readAt < refreshMs ? Promise.resolve(held) : readWithin(SNAPSHOT_WAIT_MS)),
    changed() {
      readAt = Number.NEGATIVE_INFINITY;
    },
  };
}
