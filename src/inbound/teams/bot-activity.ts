import {
  aliasOf,
  baseConversationId,
  type ConversationKind,
  type SeenConversation,
  shortHash,
  type TeamsUser,
} from '../../notify/teams/conversations.js';

/**
 * The fields of a Bot Framework activity from Teams that credo-notify reads. This is the wire
 * protocol, the same whichever SDK received it.
 * https://learn.microsoft.com/microsoftteams/platform/bots/how-to/conversations/subscribe-to-conversation-events
 */
export interface BotActivity {
  type: string;
  text?: string;
  /** installationUpdate: `add`, `remove`, `add-upgrade`, `remove-upgrade`. */
  action?: string;
  from?: { id: string; name?: string; aadObjectId?: string };
  recipient?: { id: string; name?: string };
  conversation?: { id: string; conversationType?: string; name?: string; tenantId?: string };
  membersAdded?: Array<{ id: string }>;
  membersRemoved?: Array<{ id: string }>;
  channelData?: {
    team?: { id?: string; name?: string };
    channel?: { id?: string; name?: string };
    tenant?: { id?: string };
    /** `channelRenamed`, `teamDeleted`, `teamMemberAdded`…: what a conversationUpdate is about. */
    eventType?: string;
  };
}

/**
 * What the Teams APIs say of a team (`GET /v3/teams/{id}` and `/v3/teams/{id}/conversations`):
 * activities name neither the team nor its channels. General's name is null.
 */
export interface TeamNames {
  name: string | null;
  channels: Array<{ id: string; name: string | null }>;
}

/** What a person's Teams profile adds to the activity (for personal chats). */
export interface MemberProfile {
  email?: string;
  userPrincipalName?: string;
  name?: string;
  aadObjectId?: string;
}

export type BotEvent =
  | 'installed'
  | 'removed'
  | 'message'
  | 'channelRenamed'
  | 'channelDeleted'
  | 'teamRenamed'
  | 'teamDeleted'
  | 'membersAdded'
  | 'membersRemoved'
  | 'other';

/** Team events whose names say what changed (msteams-docs, "Conversation update events"). */
const TEAM_EVENTS = new Set<BotEvent>(['channelRenamed', 'channelDeleted', 'teamRenamed', 'teamDeleted']);

/**
 * Whether the activity adds the bot, removes it (uninstalled, or the bot itself in
 * `membersRemoved`), speaks to it, renames or deletes a channel or team, or none of these.
 * https://learn.microsoft.com/microsoftteams/platform/bots/how-to/conversations/subscribe-to-conversation-events
 */
export function botEventOf(activity: BotActivity): BotEvent {
  const bot = activity.recipient?.id;
  const names = (members?: Array<{ id: string }>) => members?.some((member) => member.id === bot) ?? false;
  if (activity.type === 'message') return 'message';
  if (activity.type === 'installationUpdate') {
    if (activity.action?.startsWith('add')) return 'installed';
    if (activity.action?.startsWith('remove')) return 'removed';
  }
  if (activity.type === 'conversationUpdate') {
    if (names(activity.membersAdded)) return 'installed';
    if (names(activity.membersRemoved)) return 'removed';
    // People joining or leaving a team the bot is in: its roster, for direct messages.
    if (teamIdOf(activity) && activity.membersAdded?.length) return 'membersAdded';
    if (teamIdOf(activity) && activity.membersRemoved?.length) return 'membersRemoved';
    const eventType = activity.channelData?.eventType as BotEvent | undefined;
    if (eventType && TEAM_EVENTS.has(eventType)) return eventType;
  }
  return 'other';
}

/** The team an activity happened in, by id: a channel's, never a chat's. */
export function teamIdOf(activity: BotActivity): string | null {
  return activity.channelData?.team?.id ?? null;
}

export function tenantOf(activity: BotActivity): string | null {
  return activity.conversation?.tenantId ?? activity.channelData?.tenant?.id ?? null;
}

/**
 * The conversation an activity happened in, with the aliases it would like. A channel goes by
 * `<team>/<channel>` (`risk-review/general`): every team has a General, and channels of one name
 * live in many teams; a namesake team gets its id's hash after its name. A group chat goes by
 * its topic; a personal chat by nothing. Teams sends no names with a message or an install:
 * `team` is what its APIs said, when they were asked.
 */
export function seenConversation(
  activity: BotActivity,
  reference: Record<string, unknown>,
  profile: MemberProfile | undefined,
  team?: TeamNames,
): SeenConversation {
  const conversation = activity.conversation ?? { id: '' };
  const id = baseConversationId(conversation.id);
  const kind = kindOf(conversation.conversationType);
  const teamId = kind === 'channel' ? teamIdOf(activity) : null;
  const teamName = activity.channelData?.team?.name ?? team?.name ?? null;
  const name =
    kind === 'channel'
      ? channelNameOf(id, teamId, activity.channelData?.channel?.name ?? null, team)
      : kind === 'groupChat'
        ? (conversation.name ?? null)
        : (profile?.name ?? activity.from?.name ?? null);
  return {
    id,
    kind,
    name,
    teamName,
    teamId,
    tenantId: tenantOf(activity),
    user: kind === 'personal' ? personOf(activity, profile) : null,
    reference: threadless(reference, id),
    aliases:
      kind === 'channel'
        ? channelAliases(teamId, teamName, name)
        : kind === 'groupChat'
          ? [aliasOf(name)].filter((alias): alias is string => alias !== undefined)
          : [],
  };
}

/** A channel's name: said by the activity, else by the team's channel list; General has none. */
function channelNameOf(
  id: string,
  teamId: string | null,
  said: string | null,
  team: TeamNames | undefined,
): string | null {
  if (said) return said;
  const listed = team?.channels.find((channel) => channel.id === id);
  if (listed?.name) return listed.name;
  return id === teamId || (listed && listed.name === null) ? 'General' : null;
}

/** `<team>/<channel>`, then with the team id's hash for a namesake team; none without both names. */
export function channelAliases(
  teamId: string | null,
  teamName: string | null,
  name: string | null,
): string[] {
  const team = aliasOf(teamName);
  const channel = aliasOf(name);
  if (!team || !channel) return [];
  return [`${team}/${channel}`, `${team}-${shortHash(teamId ?? '')}/${channel}`];
}

function kindOf(conversationType: string | undefined): ConversationKind {
  if (conversationType === 'channel') return 'channel';
  if (conversationType === 'groupChat') return 'groupChat';
  return 'personal';
}

function personOf(activity: BotActivity, profile: MemberProfile | undefined): TeamsUser | null {
  if (!activity.from) return null;
  return {
    id: activity.from.id,
    aadObjectId: profile?.aadObjectId ?? activity.from.aadObjectId ?? null,
    name: profile?.name ?? activity.from.name ?? null,
    email: profile?.email ?? null,
    userPrincipalName: profile?.userPrincipalName ?? null,
  };
}

/** The reference of the channel itself, not of the message (or thread) it was captured from. */
function threadless(reference: Record<string, unknown>, id: string): Record<string, unknown> {
  const { activityId: _activityId, ...rest } = reference;
  const conversation = (reference.conversation ?? {}) as Record<string, unknown>;
  return { ...rest, conversation: { ...conversation, id } };
}
