import type { Config } from '../config/schema.js';
import type { CredoEvent } from '../events/credo-event.js';
import type { FailedAuthLimit } from '../http/failed-auth-limit.js';
import type { Platform } from '../messages.js';
import type { Renderer } from '../render/renderer.js';
import type { Router } from '../routing/route-event.js';
import type { DeliveryLog, EventLog, JobQueue, KeyValueState } from '../store/store.js';
import type { SubscriptionBook } from '../subscriptions/subscription-book.js';
import type { DirectMessagePlan } from '../worker/direct-messages.js';

/** What the console reads and changes in the store: the admin API's share, and the delivery log. */
export type ConsoleStore = EventLog & JobQueue & DeliveryLog & Pick<KeyValueState, 'kvGet'>;

/** What the console needs of the config in force; read once per request, like the receiver. */
export interface ConsoleState {
  config: Config;
  routes: Router;
  renderer: Renderer;
  destinations: ReadonlyMap<string, { platform: Platform }>;
  planDirectMessages: (event: CredoEvent) => DirectMessagePlan;
}

export interface ConsoleOptions {
  /** `admin.token` in force: without one the console is off and answers 404. */
  token: () => string | undefined;
  now: () => number;
  /** Wrong tokens per address, shared with the other routes that check a credential. */
  failedAuth: FailedAuthLimit;
  store: ConsoleStore;
  state: () => ConsoleState;
  /** A dead letter went back to the queue: the worker should look now. */
  onRequeued: () => void;
  /** The chat's subscriptions, which the operator may remove. */
  subscriptions: Pick<SubscriptionBook, 'list' | 'remove'>;
  /** One was removed: this instance routes without it at once. */
  onSubscriptionsChanged: () => void;
  /** Which config file is in force and when it was loaded or last reloaded. */
  configInfo: () => { source: string; loadedAt: number };
}
