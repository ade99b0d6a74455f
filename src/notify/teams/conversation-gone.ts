import { DeliveryError } from '../notifier.js';

/**
 * The bot may not post in a conversation any more: Teams said so (403 BotNotInConversationRoster,
 * ConversationBlockedByUser, BotDisabledByAdmin; 404 for the conversation), now or earlier with
 * nobody there speaking to the bot since. Permanent until then, so never retried.
 */
export class ConversationGoneError extends DeliveryError {
  /** @param said what Teams answered, e.g. "Teams answered HTTP 403 (BotNotInConversationRoster)" */
  constructor(readonly said: string) {
    super(`${said}: the bot may not post there until someone adds it back or writes to it`, {
      code: 'CN_TEAMS_CONVERSATION_GONE',
      retryable: false,
    });
    this.name = 'ConversationGoneError';
  }
}
