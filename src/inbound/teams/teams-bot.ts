import type { TeamsCard } from '../../messages.js';
import type { TeamsUser } from '../../notify/teams/conversations.js';
import type { TeamsPoster } from '../../notify/teams/teams-notifier.js';
import type { BotActivity, MemberProfile, TeamNames } from './bot-activity.js';

/**
 * The Teams bot as the rest of credo-notify sees it, whatever SDK runs it (teams-ai today, in
 * ./teams-ai/; its successor would be one more folder beside it).
 */
export interface TeamsBot extends TeamsPoster {
  /** No app id is configured: any caller may post activities. For local testing only. */
  readonly anonymous: boolean;
  /** Handles one `POST /api/messages` from Teams, authenticated as the Bot Framework requires. */
  handle(request: BotRequest): Promise<BotAnswer>;
}

export interface BotRequest {
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
}

export interface BotAnswer {
  status: number;
  headers: Record<string, string>;
  body?: unknown;
}

/** One activity that reached the bot, with what the SDK adds to it. */
export interface BotTurn {
  activity: BotActivity;
  /** The Bot Framework conversation reference of the activity. */
  reference: Record<string, unknown>;
  /** The sender's Teams profile, looked up for personal chats. */
  profile?: MemberProfile;
  /** Reads the team's name and channels from Teams (a channel activity only; paced). */
  teamNames?: () => Promise<TeamNames>;
  /** Reads the team's roster from Teams (a channel activity only; paced). */
  teamMembers?: () => Promise<TeamsUser[]>;
  /** Reads one member of the team from Teams, by Teams id (a channel activity only; paced). */
  teamMember?: (userId: string) => Promise<TeamsUser>;
}

/** What the bot does with a turn: the card to answer with, if any. */
export interface BotBehaviour {
  handle(turn: BotTurn): Promise<TeamsCard | undefined>;
}
