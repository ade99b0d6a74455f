import type { KnownEventType } from '../events/event-types.js';
import type { KeyValueState } from '../store/store.js';

/** Who made a change, as the chat platform told us (or `cli`, `console` for an operator). */
export interface ChangedBy {
  id: string;
  email?: string;
  name?: string;
}

/**
 * One conversation's subscription to one use case (or `*`, all): the event types it gets,
 * and who last changed it, when.
 */
export interface ChatSubscription {
  platform: 'slack' | 'teams';
  /** The Slack channel id, the Teams conversation id, where it was made. */
  conversationId: string;
  useCase: string;
  /** Its name from the Credo AI API when it was made, for lists. */
  useCaseName?: string;
  events: KnownEventType[];
  by: ChangedBy;
  at: number;
}

export type SubscriptionKey = Pick<ChatSubscription, 'platform' | 'conversationId' | 'useCase'>;

/**
 * Chat subscriptions in the store's key-value state, so both engines keep them alike and every
 * instance reads the same: one entry per conversation and use case, without expiry. A removed
 * one is written as expired, as the store forgets entries (and prunes them) by expiry.
 */
export interface SubscriptionBook {
  list(): Promise<ChatSubscription[]>;
  get(key: SubscriptionKey): Promise<ChatSubscription | undefined>;
  put(subscription: ChatSubscription): Promise<void>;
  remove(key: SubscriptionKey, now: number): Promise<boolean>;
}

export const SUBSCRIPTIONS_NAMESPACE = 'chat-subscription';

export function createSubscriptionBook(store: KeyValueState, now: () => number): SubscriptionBook {
  const keyOf = (key: SubscriptionKey) => JSON.stringify([key.platform, key.conversationId, key.useCase]);
  const get = async (key: SubscriptionKey) => {
    const value = await store.kvGet(SUBSCRIPTIONS_NAMESPACE, keyOf(key), now());
    return value ? (JSON.parse(value) as ChatSubscription) : undefined;
  };
  return {
    async list() {
      const entries = await store.kvList(SUBSCRIPTIONS_NAMESPACE, now());
      return entries.flatMap(({ value }) => (value ? [JSON.parse(value) as ChatSubscription] : []));
    },
    get,
    async put(subscription) {
      await store.kvSet(SUBSCRIPTIONS_NAMESPACE, keyOf(subscription), JSON.stringify(subscription), null);
    },
    async remove(key, at) {
      if (!(await get(key))) return false;
      await store.kvSet(SUBSCRIPTIONS_NAMESPACE, keyOf(key), '', at);
      return true;
    },
  };
}
