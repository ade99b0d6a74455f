import type { Config } from './config/schema.js';
import { wantsSlackCommands } from './inbound/slack/slack-commands-state.js';
import { wantsTeamsBot } from './inbound/teams/start-teams-bot.js';
import { type KindName, kindOf } from './notify/kinds.js';
import { sqlitePathOf } from './store/open-store.js';

export interface StartupSummary {
  store: 'sqlite' | 'postgres';
  auth: Config['credo']['auth']['method'];
  destinations: Partial<Record<KindName, number>>;
  routes: number;
  teamsBot: boolean;
  /** `POST /slack/events` served: the `/credo` slash command (slack.signingSecret set). */
  slackCommands: boolean;
  admin: boolean;
  console: boolean;
}

/**
 * What a server starts with, for the one line it logs at start: enough to see at a glance that
 * the config in force is the one meant. Made of names and counts only: the store URL gives its
 * engine, never its host, user or password, and no token or secret appears.
 */
export function startupSummary(config: Config): StartupSummary {
  const destinations: Partial<Record<KindName, number>> = {};
  for (const destination of Object.values(config.destinations)) {
    const { kind } = kindOf(destination);
    destinations[kind] = (destinations[kind] ?? 0) + 1;
  }
  // The admin API and the console are served, both, while admin.token is set.
  const adminOn = Boolean(config.admin?.token);
  return {
    store: sqlitePathOf(config.store.url) === undefined ? 'postgres' : 'sqlite',
    auth: config.credo.auth.method,
    destinations,
    routes: config.routes.length,
    teamsBot: wantsTeamsBot(config),
    slackCommands: wantsSlackCommands(config),
    admin: adminOn,
    console: adminOn,
  };
}
