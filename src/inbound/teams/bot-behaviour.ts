import type { Config } from '../../config/schema.js';
import type { Logger } from '../../log.js';
import type { ConversationDirectory } from '../../notify/teams/conversations.js';
import { botEventOf, seenConversation, tenantOf } from './bot-activity.js';
import { welcomeCard } from './bot-cards.js';
import { commandReply } from './bot-commands.js';
import type { BotBehaviour } from './teams-bot.js';

export interface BotBehaviourOptions {
  directory: ConversationDirectory;
  /** The config in force, for `status`. */
  current: () => Config;
  /** `teams.tenantId`: activities from other tenants are ignored. Empty: any tenant. */
  tenantId: string;
  log: Logger;
}

/**
 * Added somewhere: remember the conversation and, the first time, say what it is called.
 * Removed: forget it, so nothing more is sent there. Spoken to: remember it too (a channel the
 * bot was never announced in becomes reachable once someone mentions the bot there), then answer
 * the command.
 */
export function createBotBehaviour(options: BotBehaviourOptions): BotBehaviour {
  const { directory, log } = options;
  return {
    async handle({ activity, reference, profile }) {
      const event = botEventOf(activity);
      if (event === 'other') return undefined;
      const tenant = tenantOf(activity);
      if (options.tenantId && tenant !== options.tenantId) {
        log.warn({ tenant, type: activity.type }, 'Teams activity from another tenant ignored');
        return undefined;
      }
      const seen = seenConversation(activity, reference, profile);
      if (event === 'removed') {
        await directory.forget(seen.id);
        log.info({ conversation: seen.id, kind: seen.kind }, 'Teams bot removed: conversation forgotten');
        return undefined;
      }
      const { conversation, isNew } = await directory.remember(seen);
      if (isNew) {
        log.info(
          { conversation: conversation.id, alias: conversation.alias, kind: conversation.kind },
          'Teams conversation captured',
        );
      }
      if (event === 'installed') return isNew ? welcomeCard(conversation) : undefined;
      return commandReply(activity.text ?? '', conversation, options.current());
    },
  };
}
