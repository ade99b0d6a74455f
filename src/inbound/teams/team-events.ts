import type { Logger } from '../../log.js';
import type { ConversationDirectory } from '../../notify/teams/conversations.js';
import { type BotActivity, type BotEvent, channelAliases, teamIdOf } from './bot-activity.js';

/**
 * What Teams says of a team the bot is in, applied to what the directory knows: a rename moves
 * names and aliases (the old alias keeps naming the channel, so configs written with it keep
 * working); a deletion, or the bot removed or uninstalled, leaves the references kept but
 * inactive, so that nothing more is sent there, and `check` and `status` show them broken.
 * https://learn.microsoft.com/microsoftteams/platform/bots/how-to/conversations/subscribe-to-conversation-events
 * (channelRenamed, channelDeleted, teamRenamed, teamDeleted; "Members removed"; "Installation update event")
 */
export async function applyTeamEvent(
  event: Extract<BotEvent, 'channelRenamed' | 'channelDeleted' | 'teamRenamed' | 'teamDeleted'>,
  activity: BotActivity,
  directory: ConversationDirectory,
  log: Logger,
): Promise<void> {
  const teamId = teamIdOf(activity);
  const channel = activity.channelData?.channel;
  if (!teamId) return;
  if (event === 'teamRenamed') {
    const teamName = activity.channelData?.team?.name ?? null;
    for (const known of await directory.inTeam(teamId))
      await directory.rename(known.id, { teamName }, channelAliases(teamId, teamName, known.name));
  } else if (event === 'channelRenamed' && channel?.id) {
    const known = await directory.find(channel.id);
    const name = channel.name ?? null;
    if (known) await directory.rename(known.id, { name }, channelAliases(teamId, known.teamName, name));
  } else if (event === 'channelDeleted' && channel?.id) {
    await directory.markInactive(channel.id, 'the channel was deleted in Teams');
  } else if (event === 'teamDeleted') {
    await markTeamInactive(directory, teamId, 'the team was deleted in Teams');
  }
  log.info({ event, team: teamId, channel: channel?.id }, 'Teams team event applied');
}

/** Every known channel of the team: the bot may post in none of them any more. */
export async function markTeamInactive(
  directory: ConversationDirectory,
  teamId: string,
  reason: string,
): Promise<void> {
  await directory.markInactive(teamId, reason);
  for (const known of await directory.inTeam(teamId)) await directory.markInactive(known.id, reason);
}
