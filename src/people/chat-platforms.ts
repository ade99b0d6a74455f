import type { Config } from '../config/schema.js';
import { createSlackDirectMessages } from '../notify/slack/slack-direct-messages.js';
import { createSlackDirectory } from '../notify/slack/slack-directory.js';
import { teamsChatPlatform } from '../notify/teams/teams-chat-platform.js';
import type { TeamsMessenger } from '../notify/teams/teams-notifier.js';
import type { Platform } from '../render/renderer.js';
import type { ChatPlatform } from './chat-platform.js';

/** The chat platforms the config gives credo-notify a bot on: where it can find and DM people. */
export function chatPlatformsFor(config: Config, teams?: TeamsMessenger): Map<Platform, ChatPlatform> {
  const platforms = new Map<Platform, ChatPlatform>();
  const { slack } = config;
  if (slack) {
    const client = { botToken: slack.botToken, apiUrl: slack.apiUrl };
    platforms.set('slack', {
      platform: 'slack',
      directory: createSlackDirectory(client),
      cacheLookups: true,
      directMessages: createSlackDirectMessages(client),
    });
  }
  if (teams) platforms.set('teams', teamsChatPlatform(teams));
  return platforms;
}
