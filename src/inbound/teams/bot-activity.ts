import {
  aliasOf,
  baseConversationId,
  type ConversationKind,
  type SeenConversation,
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
  };
}

/** What a person's Teams profile adds to the activity (for personal chats). */
export interface MemberProfile {
  email?: string;
  userPrincipalName?: string;
  name?: string;
  aadObjectId?: string;
}

export type BotEvent = 'installed' | 'removed' | 'message' | 'other';

/** Whether the activity adds the bot, removes it, speaks to it, or none of these. */
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
  }
  return 'other';
}

export function tenantOf(activity: BotActivity): string | null {
  return activity.conversation?.tenantId ?? activity.channelData?.tenant?.id ?? null;
}

/**
 * The conversation an activity happened in, with the aliases it would like: a channel's name (a
 * team's General channel goes by the team's name), then team and channel together in case
 * another team has a channel of that name; a group chat's topic; none for a personal chat.
 */
export function seenConversation(
  activity: BotActivity,
  reference: Record<string, unknown>,
  profile: MemberProfile | undefined,
): SeenConversation {
  const conversation = activity.conversation ?? { id: '' };
  const id = baseConversationId(conversation.id);
  const kind = kindOf(conversation.conversationType);
  const { team, channel } = activity.channelData ?? {};
  const isGeneral = kind === 'channel' && (!channel?.id || channel.id === team?.id) && !channel?.name;
  const name =
    kind === 'channel'
      ? (channel?.name ?? (isGeneral ? 'General' : null))
      : kind === 'groupChat'
        ? (conversation.name ?? null)
        : (profile?.name ?? activity.from?.name ?? null);
  const aliases =
    kind === 'channel'
      ? isGeneral
        ? [aliasOf(team?.name), aliasOf(`${team?.name ?? ''} general`)]
        : [aliasOf(name), aliasOf(`${team?.name ?? ''} ${name ?? ''}`)]
      : kind === 'groupChat'
        ? [aliasOf(name)]
        : [];
  return {
    id,
    kind,
    name,
    teamName: team?.name ?? null,
    tenantId: tenantOf(activity),
    user: kind === 'personal' ? personOf(activity, profile) : null,
    reference: threadless(reference, id),
    aliases: aliases.filter((alias): alias is string => alias !== undefined),
  };
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
