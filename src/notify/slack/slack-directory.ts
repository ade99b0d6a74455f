import * as webApi from '@slack/web-api';
import type { ChatDirectory } from '../../people/chat-platform.js';
import { type SlackClientOptions, slackClientFor } from './slack-client.js';

/**
 * Finds Slack users by email (`users.lookupByEmail`, scope `users:read.email`). Slack answers
 * `users_not_found` for an email no member has; every other failure is thrown, so it is not
 * remembered as "no such user".
 */
export function createSlackDirectory(options: SlackClientOptions): ChatDirectory {
  const client = slackClientFor(options);
  return {
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
  };
}
