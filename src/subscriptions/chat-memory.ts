import type { Clock } from '../clock.js';
import type { Logger } from '../log.js';
import type { KeyValueState } from '../store/store.js';
import { createPreferenceBook, type PreferenceBook } from './preferences.js';
import { createSubscriptionBook, type SubscriptionBook } from './subscription-book.js';
import { createSubscriptionSnapshot, type SubscriptionSnapshot } from './subscription-snapshot.js';

/** What the chat commands keep in the store, and the snapshot routing reads of it. */
export interface ChatMemory {
  subscriptions: SubscriptionBook;
  preferences: PreferenceBook;
  snapshot: SubscriptionSnapshot;
}

export function createChatMemory(options: {
  store: KeyValueState;
  clock: Clock;
  log: Logger;
  /** How old the snapshot may grow (tests shorten it); 5 s by default. */
  refreshMs?: number;
}): ChatMemory {
  const { store, clock, log } = options;
  const subscriptions = createSubscriptionBook(store, clock.now);
  return {
    subscriptions,
    preferences: createPreferenceBook(store, clock.now),
    snapshot: createSubscriptionSnapshot({ book: subscriptions, clock, log, refreshMs: options.refreshMs }),
  };
}
