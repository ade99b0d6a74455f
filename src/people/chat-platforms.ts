import type { Config } from '../config/schema.js';
import type { Platform } from '../messages.js';
import type { ChatPlatform } from '../notify/chat-platform.js';
import { slackChatPlatform } from '../notify/slack/slack-chat-platform.js';
import type { SlackBotDeps } from '../notify/slack/slack-client.js';
import { teamsChatPlatform } from '../notify/teams/teams-chat-platform.js';
import type { TeamsMessenger } from '../notify/teams/teams-notifier.js';

/** The chat platforms the config gives credo-notify a bot on: where it can find and DM people. */
export function chatPlatformsFor(
  config: Config,
  deps: SlackBotDeps,
  teams?: TeamsMessenger,
): Map<Platform, ChatPlatform> {
  const platforms = new Map<Platform, ChatPlatform>();
  const { slack } = config;
  if (slack) {
    platforms.set('slack', slackChatPlatform({ ...deps, botToken: slack.botToken, apiUrl: slack.apiUrl }));
  }
  if (teams) platforms.set('teams', teamsChatPlatform(teams));
  return platforms;
}
