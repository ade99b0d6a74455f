import { DeliveryError, type Notifier } from '../notifier.js';
import { classifySlackFailure } from './classify-slack-failure.js';
import type { SlackClientOptions } from './slack-client.js';
import { slackClientFor } from './slack-client.js';
import { createSlackNotifier, slackFailureOf } from './slack-notifier.js';

/**
 * Notifiers that write to one Slack user in the bot's direct conversation with them:
 * `conversations.open` (scope `im:write`) finds or opens it, then the message is posted there.
 */
export function createSlackDirectMessages(options: SlackClientOptions): (slackUserId: string) => Notifier {
  const client = slackClientFor(options);
  const openConversation = async (slackUserId: string): Promise<string> => {
    let channel: string | undefined;
    try {
      channel = (await client.conversations.open({ users: slackUserId })).channel?.id;
    } catch (error) {
      throw classifySlackFailure(slackFailureOf(error), error);
    }
    if (!channel) throw new DeliveryError('conversations.open named no conversation', { retryable: true });
    return channel;
  };
  return (slackUserId) => ({
    async send(message, context) {
      const channel = await openConversation(slackUserId);
      return createSlackNotifier({ ...options, channel }).send(message, context);
    },
  });
}
