import type { Config } from '../config/schema.js';
import type { CredoEvent } from '../events/credo-event.js';
import { useCaseIdOf } from '../events/event-fields.js';
import { chatDestinationName, kindOf } from '../notify/kinds.js';
import type { RoutedDelivery, Router } from '../routing/route-event.js';
import { ALL_USE_CASES } from './parse-chat-command.js';
import type { ChatSubscription } from './subscription-book.js';

/** The route name a subscription's jobs carry, in logs and the console. */
export const SUBSCRIPTION_ROUTE = 'chat subscription';

/** Routing with subscriptions: still a pure function, of the event and a snapshot of them. */
export type SubscriptionRouter = (
  event: CredoEvent,
  subscriptions: readonly ChatSubscription[],
) => RoutedDelivery[];

/**
 * The YAML routes first (the admin's baseline), then every subscription that wants the event,
 * with the templates, threads and digests of `subscriptions.defaults`. A conversation reached twice (by
 * two subscriptions, or by a route to the same Slack channel or Teams conversation id) gets one
 * message, the route's.
 */
export function routeWithSubscriptions(
  router: Router,
  config: Pick<Config, 'destinations' | 'subscriptions'>,
): SubscriptionRouter {
  const { thread, template, digest } = config.subscriptions.defaults;
  const sameAs = new Map<string, string>();
  for (const [name, destination] of Object.entries(config.destinations)) {
    const { bot, address } = kindOf(destination);
    if (bot && address) sameAs.set(name, chatDestinationName(bot, address));
  }
  return (event, subscriptions) => {
    const routed = router(event);
    const reached = new Set(
      routed.flatMap((d) => [d.destination, sameAs.get(d.destination) ?? d.destination]),
    );
    const useCase = useCaseIdOf(event);
    for (const subscription of subscriptions) {
      const wanted =
        (subscription.useCase === ALL_USE_CASES || subscription.useCase === useCase) &&
        (subscription.events as readonly string[]).includes(event.type);
      const destination = chatDestinationName(subscription.platform, subscription.conversationId);
      if (!wanted || reached.has(destination)) continue;
      reached.add(destination);
      routed.push({ route: SUBSCRIPTION_ROUTE, destination, template, thread, ...(digest && { digest }) });
    }
    return routed;
  };
}
