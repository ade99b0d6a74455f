import type { FastifyInstance } from 'fastify';
import type { Clock } from '../../clock.js';
import type { Config } from '../../config/schema.js';
import { type ErrorBody, errorBody } from '../../errors.js';
import type { Logger } from '../../log.js';
import { kindOf } from '../../notify/kinds.js';
import { createConversationDirectory } from '../../notify/teams/conversations.js';
import { createTeamsMessenger, type TeamsMessenger } from '../../notify/teams/teams-notifier.js';
import type { KeyValueState } from '../../store/store.js';
import { createBotBehaviour } from './bot-behaviour.js';
import type { BotAnswer, TeamsBot } from './teams-bot.js';

export interface TeamsRuntime {
  /** The `POST /api/messages` route, for the HTTP app. */
  route: (app: FastifyInstance) => Promise<void>;
  messenger: TeamsMessenger;
}

export interface StartTeamsOptions {
  config: Config;
  /** The config in force after reloads, for the `status` command. */
  current: () => Config;
  store: KeyValueState;
  clock: Clock;
  log: Logger;
}

/** A `teams:` section or a `teams` destination asks for the bot; a Workflows URL needs none. */
export function wantsTeamsBot(config: Config): boolean {
  return (
    config.teams !== undefined ||
    Object.values(config.destinations).some((destination) => kindOf(destination).bot === 'teams')
  );
}

/**
 * Loads the Teams SDK (about a second, hence only when asked for) and starts the bot. Its
 * credentials are read once: changing them takes a restart.
 */
export async function startTeamsBot(options: StartTeamsOptions): Promise<TeamsRuntime> {
  const { log } = options;
  const settings = options.config.teams ?? { appId: '', appPassword: '', tenantId: '' };
  const { createTeamsAiBot } = await import('./teams-ai/teams-ai-bot.js');
  const directory = createConversationDirectory(options.store, options.clock);
  const behaviour = createBotBehaviour({
    directory,
    current: options.current,
    tenantId: settings.tenantId,
    log,
  });
  const bot = createTeamsAiBot({ ...settings, behaviour, log });
  if (bot.anonymous) {
    log.warn(
      'TEAMS BOT UNAUTHENTICATED: teams.appId is empty, so /api/messages accepts activities from anyone ' +
        'and the bot cannot post to real Teams. For local testing only: set teams.appId, appPassword and tenantId.',
    );
  }
  return { route: teamsBotRoute(bot), messenger: createTeamsMessenger({ bot, directory }) };
}

/** Where Teams delivers activities: the messaging endpoint set on the Azure Bot. */
const TEAMS_BOT_PATH = '/api/messages';

/** `POST /api/messages`, answered with whatever the bot's SDK decided (401 for a bad token). */
function teamsBotRoute(bot: TeamsBot) {
  return async (app: FastifyInstance): Promise<void> => {
    app.post(TEAMS_BOT_PATH, async (request, reply) => {
      const answer = await bot.handle({ headers: request.headers, body: request.body });
      reply.code(answer.status).headers(answer.headers);
      if (answer.status >= 400) return reply.send(refusalBody(answer));
      return answer.body === undefined ? reply.send() : reply.send(answer.body);
    });
  };
}

/** The SDK refuses in plain text, when at all: said in the shape of every other error answer. */
function refusalBody({ status, body }: BotAnswer): ErrorBody {
  if (status >= 500) return errorBody('CN_INTERNAL', 'internal error');
  const said = typeof body === 'string' && body !== '' ? body : undefined;
  return status === 401 || status === 403
    ? errorBody('CN_TEAMS_ACTIVITY_REFUSED', said ?? 'the Bot Framework refused the activity')
    : errorBody('CN_BAD_REQUEST', said ?? 'the Bot Framework could not read the activity');
}
