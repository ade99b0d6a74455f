import type { MessageOf, Platform } from '../messages.js';
import { DeliveryError, type Notifier } from './notifier.js';
import type { RateWindow } from './pacing.js';

/**
 * What credo-notify needs of a chat platform to reach people rather than channels. Each
 * platform (Slack, Teams) provides one; the people and direct-message logic above it
 * never names a platform.
 */
export type ChatPlatform<P extends Platform = Platform> = {
  [K in P]: {
    platform: K;
    /** Finds chat users by email. */
    directory: ChatDirectory;
    /**
     * Whether the directory's answers are worth remembering for `mentions.cacheTtlHours`: yes for
     * a remote service (Slack); no for one read from credo-notify's own store (Teams personal
     * chats), whose answer changes the moment someone installs the app.
     */
    cacheLookups: boolean;
    /**
     * A notifier that writes to one chat user directly. It throws `PersonUnreachableError` when
     * that person cannot be written to at all.
     */
    directMessages(chatUserId: string): Notifier<MessageOf[K]>;
    /** How fast one person may be written to. */
    directMessagePacing: readonly RateWindow[];
  };
}[P];

export interface ChatDirectory {
  /**
   * The chat user id of `email`, or undefined when the platform has no such user. Throws when
   * it cannot tell (platform down, token lacking a scope): that answer is not remembered.
   */
  findByEmail(email: string): Promise<string | undefined>;
}

/**
 * The person has no place the bot may write to (Teams: they never installed the app, or removed
 * it). Retrying would find no one either, and no operator can fix it: no dead letter.
 */
export class PersonUnreachableError extends DeliveryError {
  constructor(message: string) {
    super(message, { code: 'CN_PERSON_UNREACHABLE', retryable: false });
    this.name = 'PersonUnreachableError';
  }
}
