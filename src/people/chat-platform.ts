import type { Notifier } from '../notify/notifier.js';
import type { Person, Platform } from '../render/renderer.js';

/**
 * What credo-notify needs of a chat platform to reach people rather than channels. Each
 * platform (Slack now, Teams next) provides one; the people and direct-message logic above it
 * never names a platform.
 */
export interface ChatPlatform {
  platform: Platform;
  /** Finds chat users by email. */
  directory: ChatDirectory;
  /** A notifier that writes to one chat user directly. */
  directMessages(chatUserId: string): Notifier;
}

export interface ChatDirectory {
  /**
   * The chat user id of `email`, or undefined when the platform has no such user. Throws when
   * it cannot tell (platform down, token lacking a scope): that answer is not remembered.
   */
  findByEmail(email: string): Promise<string | undefined>;
}

/** The person's id on `platform`, when resolved. */
export function chatIdOf(person: Person | undefined, platform: Platform): string | undefined {
  return platform === 'slack' ? person?.slackId : person?.teamsId;
}

/** `person` with their id on `platform` set. */
export function withChatId(person: Person, platform: Platform, chatId: string | undefined): Person {
  return platform === 'slack' ? { ...person, slackId: chatId } : { ...person, teamsId: chatId };
}
