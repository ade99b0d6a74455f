import Fastify, {
  type FastifyBaseLogger,
  type FastifyError,
  type FastifyInstance,
  type FastifyReply,
  LogController,
} from 'fastify';
import type { Config } from './config/schema.js';
import { type ErrorCode, errorBody } from './errors.js';
import { lazySchemaCompilers } from './http/lazy-schema-compilers.js';
import { checkDeadlinesWhileConnected } from './http/request-deadlines.js';
import type { Logger } from './log.js';
import { packageVersion } from './package-info.js';
import type { ReceiveState, RejectReason } from './receiver/receive-delivery.js';
import { webhookRoute } from './receiver/webhook-route.js';
import { serviceStatus } from './service-status.js';
import type { AcceptResult, EventLog, Store } from './store/store.js';

export interface AppDeps {
  /** The config the server starts with: listen address, webhook path, body limit. */
  config: Config;
  /** The current receive state, which a reload replaces. */
  current: () => ReceiveState;
  store: EventLog & Pick<Store, 'ping'>;
  /** Extra routes that need the server (the OAuth token endpoint, later the Teams bot). */
  plugins?: Array<(app: FastifyInstance) => Promise<void>>;
  log: Logger;
  now: () => number;
  onAccepted?: (outcome: AcceptResult, type: string, jobs: number) => void;
  onRejected?: (reason: RejectReason, code: ErrorCode) => void;
}

/** Builds the HTTP app; never listens, so tests can `inject`. */
export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const { config } = deps;
  const loggerInstance: FastifyBaseLogger = deps.log;
  const app = Fastify({
    loggerInstance,
    // One line per delivery is logged by the route itself; per-request lines would double it.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: config.server.bodyLimitBytes,
    return503OnClosing: true,
    schemaController: { compilersFactory: lazySchemaCompilers },
    ...socketLimits(config.server),
  });
  // Past the cap Node closes a new connection at once: a flood of sockets cannot exhaust files.
  app.server.maxConnections = config.server.maxConnections;
  checkDeadlinesWhileConnected(app.server, DEADLINE_CHECK_MS);
  app.setErrorHandler(errorHandler);
  app.setNotFoundHandler((request, reply) =>
    reply.code(404).send(errorBody('CN_NOT_FOUND', `no route for ${request.method} ${request.url}`)),
  );

  const version = packageVersion();
  // The config in force, so that the console's link follows a reload that sets or clears admin.token.
  app.get('/', async () => serviceStatus(deps.current().config, version));
  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async (_request, reply) => {
    try {
      await deps.store.ping();
      return { status: 'ready' };
    } catch (error) {
      // The driver's own words (a timeout, ECONNREFUSED host:port), never the URL or a password.
      const said = error instanceof Error ? error.message.slice(0, 200) : 'no answer';
      return reply
        .code(503)
        .send({ status: 'store unreachable', error: errorBody('CN_STORE_UNAVAILABLE', said).error });
    }
  });
  await app.register(webhookRoute, {
    config,
    current: deps.current,
    store: deps.store,
    log: deps.log,
    now: deps.now,
    onAccepted: deps.onAccepted,
    onRejected: deps.onRejected,
  });
  for (const plugin of deps.plugins ?? []) await app.register(plugin);
  return app;
}

/**
 * How often Node checks the request deadlines, 30 s by default: checked every second, a slow
 * request is cut within a second of its deadline. Only while a connection is open
 * (request-deadlines.ts).
 */
const DEADLINE_CHECK_MS = 1000;

/**
 * A client that sends a header and then a byte every few seconds would hold its socket forever
 * (Fastify's requestTimeout is 0 by default).
 */
function socketLimits(server: Config['server']) {
  const requestTimeout = server.requestTimeoutSeconds * 1000;
  return {
    requestTimeout,
    connectionTimeout: server.connectionTimeoutSeconds * 1000,
    http: { connectionsCheckingInterval: DEADLINE_CHECK_MS, headersTimeout: requestTimeout },
  };
}
/** Fastify's own refusals, by its error code; any other 4xx it raises is a CN_BAD_REQUEST. */
const FASTIFY_CODES: Record<string, ErrorCode> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'CN_BODY_TOO_LARGE',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'CN_BODY_NOT_JSON',
};

/** Every error leaves as JSON with its status: 413 too large, 415 not JSON, and so on. */
function errorHandler(this: FastifyInstance, error: FastifyError, _request: unknown, reply: FastifyReply) {
  const status = error.statusCode && error.statusCode >= 400 ? error.statusCode : 500;
  if (status >= 500) {
    this.log.error({ err: error, code: 'CN_INTERNAL' }, 'request failed');
    return reply.code(status).send(errorBody('CN_INTERNAL', 'internal error'));
  }
  const code = FASTIFY_CODES[error.code] ?? 'CN_BAD_REQUEST';
  const message = code === 'CN_BODY_NOT_JSON' ? 'content type must be application/json' : error.message;
  return reply.code(status).send(errorBody(code, message));
}
