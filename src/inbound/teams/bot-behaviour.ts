import { type Config, isLoopbackHost } from '../../config/schema.js';
import type { Logger } from '../../log.js';
import type { ConversationDirectory } from '../../notify/teams/conversations.js';
import { baseConversationId } from '../../notify/teams/conversations.js';
import { teamsDestinationProblems } from '../../notify/teams/destination-standing.js';
import type { RunChatCommand } from '../../subscriptions/chat-command.js';
import {
  type BotEvent,
  botEventOf,
  seenConversation,
  type TeamNames,
  teamIdOf,
  tenantOf,
} from './bot-activity.js';
import { welcomeCard } from './bot-cards.js';
import { commandReply } from './bot-commands.js';
import { applyTeamEvent, markTeamInactive } from './team-events.js';
import type { BotBehaviour, BotTurn } from './teams-bot.js';

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
 * Added somewhere: remember the conversation, with the names Teams' APIs give (activities carry
 * none) and, in a team, its roster; the first time (or back after a removal), say what it is
 * called. Removed: keep it, inactive, so nothing more is sent there and `status` shows why.
 * Spoken to: remember it too (a channel the bot was never announced in becomes reachable once
 * someone mentions the bot there), then answer the command. Renamed or deleted: see
 * team-events.ts. An activity from a tenant or a `serviceUrl` we don't trust changes nothing.
 */
export function createBotBehaviour(options: BotBehaviourOptions): BotBehaviour {
  const { directory, trust, log } = options;

  /**
   * The names only Teams' APIs know: read at install, and for a channel known by id only; else
   * the names known, so that its alias takes today's form (`<team>/<channel>`) too.
   */
  const namesFor = async (event: BotEvent, turn: BotTurn): Promise<TeamNames | undefined> => {
    const { activity } = turn;
    if (activity.conversation?.conversationType !== 'channel' || !turn.teamNames) return undefined;
    const known = await directory.find(baseConversationId(activity.conversation.id));
    if (event !== 'installed' && known?.teamName && known.name)
      return { name: known.teamName, channels: [{ id: known.id, name: known.name }] };
    return turn.teamNames().catch((error: unknown) => {
      log.warn({ code: 'CN_TEAMS_NAMES_UNREAD', error: (error as Error).message }, 'could not read the team');
      return undefined;
    });
  };

  /** Its members can be written to, in a 1:1 chat the bot opens (send-proactive-messages.md). */
  const rememberRoster = async (turn: BotTurn, teamConversationId: string) => {
    const team = await directory.find(teamConversationId);
    if (!team || !turn.teamMembers) return;
    try {
      await directory.rememberMembers(team, await turn.teamMembers());
    } catch (error) {
      log.warn(
        { code: 'CN_TEAMS_NAMES_UNREAD', error: (error as Error).message },
        'could not read the roster',
      );
    }
  };

  /** People joined or left a team the bot is in: kept with a channel of it the bot knows. */
  const rosterChange = async (event: 'membersAdded' | 'membersRemoved', turn: BotTurn) => {
    const [team] = (await directory.inTeam(teamIdOf(turn.activity) ?? '')).filter((known) => !known.inactive);
    if (!team) return;
    const bot = turn.activity.recipient?.id;
    if (event === 'membersRemoved') {
      for (const { id } of turn.activity.membersRemoved ?? [])
        await directory.forgetMember(team.teamId ?? team.id, id);
      return;
    }
    const { teamMember } = turn;
    if (!teamMember) return;
    try {
      const added = (turn.activity.membersAdded ?? []).filter(({ id }) => id !== bot);
      await directory.rememberMembers(team, await Promise.all(added.map(({ id }) => teamMember(id))));
    } catch (error) {
      log.warn(
        { code: 'CN_TEAMS_NAMES_UNREAD', error: (error as Error).message },
        'could not read a new member',
      );
    }
  };

  return {
    async handle(turn) {
      const { activity, reference, profile } = turn;
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
      if (event === 'membersAdded' || event === 'membersRemoved') {
        await rosterChange(event, turn);
        return undefined;
      }
      if (event !== 'installed' && event !== 'removed' && event !== 'message') {
        await applyTeamEvent(event, activity, directory, log);
        return undefined;
      }
      if (event === 'removed') {
        const id = baseConversationId(activity.conversation?.id ?? '');
        const team = teamIdOf(activity);
        const reason = 'the bot was removed from there in Teams';
        await (team ? markTeamInactive(directory, team, reason) : directory.markInactive(id, reason));
        log.info({ conversation: id, team }, 'Teams bot removed: conversation kept, inactive');
        return undefined;
      }
      const seen = seenConversation(activity, reference, profile, await namesFor(event, turn));
      const { conversation, isNew, revived } = await directory.remember(seen);
      if (isNew) {
        log.info(
          { conversation: conversation.id, alias: conversation.alias, kind: conversation.kind },
          'Teams conversation captured',
        );
      }
      if (event === 'installed' && conversation.kind === 'channel')
        await rememberRoster(turn, conversation.id);
      if (event === 'installed') return isNew || revived ? welcomeCard(conversation) : undefined;
      const config = options.current();
      const broken = (await teamsDestinationProblems(config.destinations, directory)).filter(
        (problem) => problem.state === 'broken',
      );
      return commandReply(activity.text ?? '', conversation, config, {
        author: { from: activity.from, profile },
        commands: options.commands,
        broken,
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
