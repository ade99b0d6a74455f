import Fastify, {
  type FastifyBaseLogger,
  type FastifyError,
  type FastifyInstance,
  type FastifyReply,
  LogController,
} from 'fastify';
import type { Config } from './config/schema.js';
import type { Logger } from './log.js';
import { type ReceiveState, type RejectReason, webhookRoute } from './receiver/webhook-route.js';
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
  onRejected?: (reason: RejectReason) => void;
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
    ...socketLimits(config.server),
  });
  // Past the cap Node closes a new connection at once: a flood of sockets cannot exhaust files.
  app.server.maxConnections = config.server.maxConnections;
  app.setErrorHandler(errorHandler);
  app.setNotFoundHandler((request, reply) =>
    reply.code(404).send({ error: `no route for ${request.method} ${request.url}` }),
  );

  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async (_request, reply) => {
    try {
      await deps.store.ping();
      return { status: 'ready' };
    } catch {
      return reply.code(503).send({ status: 'store unreachable' });
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
 * A client that sends a header and then a byte every few seconds would hold its socket forever
 * (Fastify's requestTimeout is 0 by default). Node checks the deadlines every
 * `connectionsCheckingInterval`, 30 s by default: checked every second, a slow request is cut
 * within a second of its deadline.
 */
function socketLimits(server: Config['server']) {
  const requestTimeout = server.requestTimeoutSeconds * 1000;
  return {
    requestTimeout,
    connectionTimeout: server.connectionTimeoutSeconds * 1000,
    http: { connectionsCheckingInterval: 1000, headersTimeout: requestTimeout },
  };
}

/** Every error leaves as JSON with its status: 413 too large, 415 not JSON, and so on. */
function errorHandler(this: FastifyInstance, error: FastifyError, _request: unknown, reply: FastifyReply) {
  const status = error.statusCode && error.statusCode >= 400 ? error.statusCode : 500;
  if (status >= 500) this.log.error({ err: error }, 'request failed');
  const message =
    error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE'
      ? 'content type must be application/json'
      : status >= 500
        ? 'internal error'
        : error.message;
  return reply.code(status).send({ error: message });
}
