import * as webApi from '@slack/web-api';
import type { ChatPlatform } from '../chat-platform.js';
import { DeliveryError } from '../notifier.js';
import { SLACK_PACING } from '../pacing.js';
import { classifySlackFailure } from './classify-slack-failure.js';
import { type SlackClientOptions, slackClientFor } from './slack-client.js';
import { createSlackNotifier, slackFailureOf } from './slack-notifier.js';

/** Slack as a place to reach people: found by email, written to in the bot's direct conversation. */
export function slackChatPlatform(options: SlackClientOptions): ChatPlatform<'slack'> {
  const client = slackClientFor(options);
  return {
    platform: 'slack',
    directory: {
      /**
       * `users.lookupByEmail` (scope `users:read.email`). Slack answers `users_not_found` for an
       * email no member has; every other failure is thrown, so it is not remembered as "no such user".
       */
      async findByEmail(email) {
        try {
          const answer = await client.users.lookupByEmail({ email });
          return answer.user?.id;
        } catch (error) {
          if (error instanceof webApi.WebAPIPlatformError && error.data.error === 'users_not_found') {
            return undefined;
          }
          throw error;
        }
      },
    },
    cacheLookups: true,
    directMessages: (slackUserId) => ({
      async send(message, context) {
        const channel = await openConversation(client, slackUserId);
        return createSlackNotifier({ ...options, channel }).send(message, context);
      },
    }),
    directMessagePacing: SLACK_PACING,
  };
}

/** `conversations.open` (scope `im:write`) finds or opens the bot's direct conversation with a user. */
async function openConversation(client: webApi.WebClient, slackUserId: string): Promise<string> {
  let channel: string | undefined;
  try {
    channel = (await client.conversations.open({ users: slackUserId })).channel?.id;
  } catch (error) {
    throw classifySlackFailure(slackFailureOf(error), error);
  }
  if (!channel) throw new DeliveryError('conversations.open named no conversation', { retryable: true });
  return channel;
}
