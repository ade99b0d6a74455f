import type { FastifyInstance } from 'fastify';
import type { Clock } from '../../clock.js';
import { type Config, configSchema } from '../../config/schema.js';
import { type ErrorBody, errorBody } from '../../errors.js';
import type { Logger } from '../../log.js';
import { kindOf } from '../../notify/kinds.js';
import type { RateWindow } from '../../notify/pacing.js';
import { type ConversationDirectory, createConversationDirectory } from '../../notify/teams/conversations.js';
import { createEntraTokenSource } from '../../notify/teams/entra-token.js';
import { createTeamsMessenger, type TeamsMessenger } from '../../notify/teams/teams-notifier.js';
import { isLoopbackCaller } from '../../receiver/authenticate.js';
import type { KeyValueState } from '../../store/store.js';
import type { RunChatCommand } from '../../subscriptions/chat-command.js';
import { type ActivityTrust, createBotBehaviour } from './bot-behaviour.js';
import type { BotAuthentication } from './teams-ai/bot-adapter.js';
import type { BotAnswer, TeamsBot } from './teams-bot.js';

export interface TeamsRuntime {
  /** The `POST /api/messages` route, for the HTTP app. */
  route: (app: FastifyInstance) => Promise<void>;
  messenger: TeamsMessenger;
}

type TeamsSettings = NonNullable<Config['teams']>;

export interface StartTeamsOptions {
  config: Config;
  /** The config in force after reloads, for the `status` command. */
  current: () => Config;
  /** The chat commands the bot answers beside help and status. */
  commands: RunChatCommand;
  store: KeyValueState;
  clock: Clock;
  log: Logger;
  /** For tests: the windows of one conversation, scaled down. */
  pacing?: readonly RateWindow[];
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
  const { log, clock } = options;
  const settings = options.config.teams ?? teamsDefaults;
  const { createTeamsAiBot } = await import('./teams-ai/teams-ai-bot.js');
  const auth = authenticationOf(settings, clock);
  const authenticated = auth.mode === 'authenticated';
  const directory = createConversationDirectory(options.store, clock, { authenticated });
  if (authenticated) await dropUnauthenticatedRecords(directory, log);
  const behaviour = createBotBehaviour({
    directory,
    current: options.current,
    commands: options.commands,
    trust: trustOf(settings, authenticated),
    log,
  });
  const bot = createTeamsAiBot({ auth, behaviour, log, clock, pacing: options.pacing });
  if (!authenticated) {
    log.warn(
      'TEAMS BOT UNAUTHENTICATED (teams.allowUnauthenticated): /api/messages takes activities from loopback ' +
        'only, and the bot cannot post to real Teams. For local trials: set teams.appId, appPassword and tenantId.',
    );
  }
  return { route: teamsBotRoute(bot), messenger: createTeamsMessenger({ bot, directory }) };
}

const teamsDefaults = configSchema.shape.teams.unwrap().parse({ allowUnauthenticated: true });

/** The tenant a token is asked of: the bot's own, or Bot Framework's for a multi-tenant bot. */
function authenticationOf(settings: TeamsSettings, clock: Clock): BotAuthentication {
  if (settings.appId === '') return { mode: 'anonymous' };
  const authority = settings.appType === 'SingleTenant' ? settings.tenantId : 'botframework.com';
  const { login, openIdMetadata, tokenIssuer } = settings.endpoints;
  const authorityUrl = `${login.replace(/\/+$/, '')}/${encodeURIComponent(authority)}`;
  return {
    mode: 'authenticated',
    appId: settings.appId,
    loginUrl: authorityUrl,
    openIdMetadataUrl: openIdMetadata,
    tokenIssuer,
    tokens: createEntraTokenSource({
      authorityUrl,
      appId: settings.appId,
      appPassword: settings.appPassword,
      clock,
    }),
  };
}

/**
 * What an activity must show to be taken: a tenant of ours, and a `serviceUrl` of Microsoft's
 * (the bot posts there with its token, so anywhere else would be handed the token or be made to
 * call an address of the attacker's choosing). Without authentication, loopback fakes too.
 */
function trustOf(settings: TeamsSettings, authenticated: boolean): ActivityTrust {
  const tenants = settings.allowedTenants.length > 0 ? settings.allowedTenants : [settings.tenantId];
  return {
    tenants: tenants.filter((tenant) => tenant !== ''),
    serviceUrlHosts: settings.serviceUrlHosts,
    loopbackServiceUrls: !authenticated,
  };
}

/**
 * Conversations captured while anyone could post activities may point at anyone's server:
 * once authentication is on, they are dropped, and the bot's next activity there captures
 * them again, signed.
 */
async function dropUnauthenticatedRecords(directory: ConversationDirectory, log: Logger): Promise<void> {
  const dropped = await directory.dropUnauthenticated();
  if (dropped > 0) {
    log.warn(
      { dropped },
      'Teams conversations captured without authentication were dropped: each is captured again at the next activity there',
    );
  }
}

/** Where Teams delivers activities: the messaging endpoint set on the Azure Bot. */
const TEAMS_BOT_PATH = '/api/messages';

/**
 * `POST /api/messages`, answered with whatever the bot's SDK decided (401 for a bad token). An
 * unauthenticated bot trusts no caller but this machine (and no proxy in front of it).
 */
function teamsBotRoute(bot: TeamsBot) {
  return async (app: FastifyInstance): Promise<void> => {
    app.post(TEAMS_BOT_PATH, async (request, reply) => {
      if (bot.anonymous && !isLoopbackCaller(request.ip, request.headers)) {
        return reply
          .code(403)
          .send(
            errorBody('CN_TEAMS_NOT_LOOPBACK', 'this Teams bot runs without authentication: loopback only'),
          );
      }
      if (!isActivity(request.body)) {
        return reply.code(400).send(errorBody('CN_BAD_REQUEST', 'the body is not a Bot Framework activity'));
      }
      const answer = await bot.handle({ headers: request.headers, body: request.body });
      reply.code(answer.status).headers(answer.headers);
      if (answer.status >= 400) return reply.send(refusalBody(answer));
      return answer.body === undefined ? reply.send() : reply.send(answer.body);
    });
  };
}

/** The least the SDK needs to read an activity without failing inside. */
function isActivity(body: unknown): body is Record<string, unknown> {
  return (
    typeof body === 'object' &&
    body !== null &&
    !Array.isArray(body) &&
    typeof (body as { type?: unknown }).type === 'string'
  );
}

/** The SDK refuses in plain text, when at all: said in the shape of every other error answer. */
function refusalBody({ status, body }: BotAnswer): ErrorBody {
  if (status >= 500) return errorBody('CN_INTERNAL', 'internal error');
  const said = typeof body === 'string' && body !== '' ? body : undefined;
  return status === 401 || status === 403
    ? errorBody('CN_TEAMS_ACTIVITY_REFUSED', said ?? 'the Bot Framework refused the activity')
    : errorBody('CN_BAD_REQUEST', said ?? 'the Bot Framework could not read the activity');
}
