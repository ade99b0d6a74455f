import { describeEventTypes } from '../subscriptions/event-groups.js';
import { ALL_USE_CASES } from '../subscriptions/parse-chat-command.js';
import { type ChatSubscription, createSubscriptionBook } from '../subscriptions/subscription-book.js';
import { formatTable } from './format-table.js';
import { onStore, type StoreContext } from './on-store.js';

/**
 * `credo-notify subscriptions [list|remove]`: the subscriptions people made from the chat, for
 * the operator, who may remove any. A running server routes by the change within 5 s.
 */

async function list({ store, storeName, write }: StoreContext, options: { json?: boolean }): Promise<void> {
  const subscriptions = await createSubscriptionBook(store, Date.now).list();
  if (options.json) return write(`${JSON.stringify(subscriptions, null, 2)}\n`);
  if (subscriptions.length === 0) {
    return write(
      `No chat subscriptions in ${storeName}: \`/credo subscribe\` or \`@credo-notify subscribe\` makes one.\n`,
    );
  }
  write(
    formatTable(['PLATFORM', 'CONVERSATION', 'USE CASE', 'EVENTS', 'BY', 'CHANGED'], subscriptions.map(row)),
  );
}

async function remove(
  { store, write }: StoreContext,
  platform: string,
  conversationId: string,
  useCase: string,
): Promise<void> {
  if (platform !== 'slack' && platform !== 'teams') {
    throw new Error(`the platform is slack or teams, not "${platform}"`);
  }
  const key = {
    platform,
    conversationId,
    useCase: useCase.toLowerCase() === 'all' ? ALL_USE_CASES : useCase,
  } as const;
  if (!(await createSubscriptionBook(store, Date.now).remove(key, Date.now()))) {
    throw new Error(
      `${platform} conversation ${conversationId} has no subscription to ${useCase}: see \`credo-notify subscriptions list\``,
    );
  }
  write(
    `Removed: ${platform} conversation ${conversationId} gets nothing more of ${useCase} (within 5 s on a running server).\n`,
  );
}

function row(subscription: ChatSubscription): string[] {
  const useCase = subscription.useCase === ALL_USE_CASES ? 'all' : subscription.useCase;
  return [
    subscription.platform,
    subscription.conversationId,
    subscription.useCaseName ? `${useCase} (${subscription.useCaseName})` : useCase,
    describeEventTypes(subscription.events),
    subscription.by.email ?? subscription.by.name ?? subscription.by.id,
    new Date(subscription.at).toISOString(),
  ];
}

type ConfigOption = { config?: string };

export const subscriptionCommands = {
  list: (options: ConfigOption & { json?: boolean }) =>
    onStore(options.config, (context) => list(context, options)),
  remove: (platform: string, conversationId: string, useCase: string, options: ConfigOption) =>
    onStore(options.config, (context) => remove(context, platform, conversationId, useCase)),
};
