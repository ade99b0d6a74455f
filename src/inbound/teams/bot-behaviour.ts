import { type Config, isLoopbackHost } from '../../config/schema.js';
import type { Logger } from '../../log.js';
import type { ConversationDirectory } from '../../notify/teams/conversations.js';
import type { RunChatCommand } from '../../subscriptions/chat-command.js';
import { botEventOf, seenConversation, tenantOf } from './bot-activity.js';
import { welcomeCard } from './bot-cards.js';
import { commandReply } from './bot-commands.js';
import type { BotBehaviour } from './teams-bot.js';

export interface BotBehaviourOptions {
  directory: ConversationDirectory;
  /** The config in force, for `status`. */
  current: () => Config;
  /** subscribe, unsubscribe, list and me: the chat commands every platform shares. */
  commands: RunChatCommand;
  trust: ActivityTrust;
  log: Logger;
}

/** What an activity must carry to be acted on (see trustOf in start-teams-bot.ts). */
export interface ActivityTrust {
  /** Tenants taken; empty: any (a multi-tenant bot that lists none). */
  tenants: string[];
  /** Hosts allowed in `serviceUrl` beyond Microsoft's. */
  serviceUrlHosts: string[];
  /** Loopback `serviceUrl`s are allowed: the unauthenticated bot of a local trial. */
  loopbackServiceUrls: boolean;
}

/**
 * Added somewhere: remember the conversation and, the first time, say what it is called.
 * Removed: forget it, so nothing more is sent there. Spoken to: remember it too (a channel the
 * bot was never announced in becomes reachable once someone mentions the bot there), then answer
 * the command. An activity from a tenant or a `serviceUrl` we don't trust changes nothing.
 */
export function createBotBehaviour(options: BotBehaviourOptions): BotBehaviour {
  const { directory, trust, log } = options;
  return {
    async handle({ activity, reference, profile }) {
      const event = botEventOf(activity);
      if (event === 'other') return undefined;
      const tenant = tenantOf(activity);
      if (trust.tenants.length > 0 && (tenant === null || !trust.tenants.includes(tenant))) {
        log.warn({ tenant, type: activity.type }, 'Teams activity from another tenant ignored');
        return undefined;
      }
      if (!isTrustedServiceUrl(reference.serviceUrl, trust)) {
        log.warn({ type: activity.type }, 'Teams activity with a serviceUrl not of Microsoft ignored');
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
      return commandReply(activity.text ?? '', conversation, options.current(), {
        author: { from: activity.from, profile },
        commands: options.commands,
      });
    },
  };
}

/**
 * The Bot Framework's own hosts (`smba.trafficmanager.net/...` for Teams, `*.botframework.com`),
 * https only: the bot sends its token there.
 * https://learn.microsoft.com/azure/bot-service/bot-service-resources-faq-security (service URLs)
 */
function isTrustedServiceUrl(serviceUrl: unknown, trust: ActivityTrust): boolean {
  if (typeof serviceUrl !== 'string' || !URL.canParse(serviceUrl)) return false;
  const url = new URL(serviceUrl);
  const host = url.hostname.toLowerCase();
  if (trust.serviceUrlHosts.some((allowed) => allowed.toLowerCase() === host)) return true;
  if (trust.loopbackServiceUrls && isLoopbackHost(host)) return true;
  const microsoft = host === 'smba.trafficmanager.net' || host.endsWith('.botframework.com');
  return microsoft && url.protocol === 'https:';
}
