import * as webApi from '@slack/web-api';
import { type ChatPlatform, PersonUnreachableError } from '../chat-platform.js';
import { DeliveryError } from '../notifier.js';
import { SLACK_PACING } from '../pacing.js';
import { classifySlackFailure } from './classify-slack-failure.js';
import { type SlackBotOptions, slackClientFor } from './slack-client.js';
import { createSlackNotifier, slackFailureOf } from './slack-notifier.js';

/**
 * What conversations.open answers when the bot may not write to that person at all
 * (docs.slack.dev/reference/methods/conversations.open): no such user, one it is restricted from
 * seeing, one disabled. Retrying finds no one either, and there is nothing for an operator to fix.
 */
const UNREACHABLE_USER_CODES = new Set(['user_not_found', 'user_not_visible', 'user_disabled']);

/** Slack as a place to reach people: found by email, written to in the bot's direct conversation. */
export function slackChatPlatform(options: SlackBotOptions): ChatPlatform<'slack'> {
  const client = slackClientFor(options);
  const { log } = options;
  return {
    platform: 'slack',
    directory: {
      /**
       * `users.lookupByEmail` (scope `users:read.email`). Only `users_not_found` means nobody
       * (docs.slack.dev/reference/methods/users.lookupByEmail); every other failure is thrown,
       * classified, so it is not remembered as "no such user" and a direct message waits for it.
       * A deactivated member (`deleted: true`) or a bot is found, and is nobody to mention or write to.
       */
      async findByEmail(email) {
        let user: { id?: string; deleted?: boolean; is_bot?: boolean } | undefined;
        try {
          user = (await client.users.lookupByEmail({ email })).user;
        } catch (error) {
          if (error instanceof webApi.WebAPIPlatformError && error.data.error === 'users_not_found') {
            return undefined;
          }
          throw classifySlackFailure(slackFailureOf(error), { cause: error, log });
        }
        const skipped = user?.deleted ? 'deactivated' : user?.is_bot ? 'a bot' : undefined;
        if (skipped === undefined) return user?.id;
        log.info(
          { slackUser: user?.id },
          `the Slack user found by email is ${skipped}: nobody to mention or write to`,
        );
        return undefined;
      },
    },
    cacheLookups: true,
    directMessages: (slackUserId) => ({
      async send(message, context) {
        const channel = await openConversation(options, slackUserId);
        return createSlackNotifier({ ...options, channel }).send(message, context);
      },
    }),
    directMessagePacing: SLACK_PACING,
  };
}

/** `conversations.open` (scope `im:write`) finds or opens the bot's direct conversation with a user. */
async function openConversation(options: SlackBotOptions, slackUserId: string): Promise<string> {
  let channel: string | undefined;
  try {
    channel = (await slackClientFor(options).conversations.open({ users: slackUserId })).channel?.id;
  } catch (error) {
    if (error instanceof webApi.WebAPIPlatformError && UNREACHABLE_USER_CODES.has(error.data.error)) {
      throw new PersonUnreachableError(`Slack will not let the bot write to them (${error.data.error})`);
    }
    throw classifySlackFailure(slackFailureOf(error), { cause: error, log: options.log });
  }
  if (!channel) throw new DeliveryError('conversations.open named no conversation', { retryable: true });
  return channel;
}
