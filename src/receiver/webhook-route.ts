import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Config } from '../config/schema.js';
import { type ErrorCode, errorBody } from '../errors.js';
import { UNKNOWN_EVENT } from '../events/event-types.js';
import { envelopeSchema, parseEventData } from '../events/schemas.js';
import type { Logger } from '../log.js';
import type { RoutableEvent, Router } from '../routing/route-event.js';
import type { AcceptResult, EventLog, NewJob } from '../store/store.js';
import type { Authenticate } from './authenticate.js';
import { recognizeEventType } from './event-type.js';
import { MAX_JSON_DEPTH, nestsDeeperThan } from './json-depth.js';

/** What receiving needs of the current config; read once per request, so a reload never splits one. */
export interface ReceiveState {
  config: Config;
  router: Router;
  authenticate: Authenticate;
  /** The direct messages an event owes, beside what the routes send. */
  planDirectMessages: (event: RoutableEvent) => NewJob[];
}

export interface WebhookRouteOptions {
  /** Path and body limit are fixed at start; the rest follows reloads. */
  config: Config;
  current: () => ReceiveState;
  store: EventLog;
  log: Logger;
  now: () => number;
  /** Called after an event and its jobs are committed, so the worker can start at once. */
  onAccepted?: (outcome: AcceptResult, type: string, jobs: number) => void;
  onRejected?: (reason: RejectReason, code: ErrorCode) => void;
}

export type RejectReason = 'auth' | 'malformed' | 'invalid' | 'store';

/**
 * POST {webhookPath}: authenticate over the raw bytes, validate, store event and jobs in one
 * transaction, and only then answer 2xx. Everything after the answer happens in the worker.
 */
export async function webhookRoute(app: FastifyInstance, options: WebhookRouteOptions): Promise<void> {
  const { store, log } = options;
  const { bodyLimitBytes, webhookPath } = options.config.server;
  const unknownTypesSeen = new Set<string>();

  // The signature covers the bytes as sent: keep the body as a string, parse it ourselves.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser(
    'application/json',
    { parseAs: 'string', bodyLimit: bodyLimitBytes },
    (_request, body, done) => done(null, body),
  );

  app.post(webhookPath, async (request, reply) => {
    const { config, router, authenticate, planDirectMessages } = options.current();
    const body = request.body as string;
    const headers = request.headers;
    const svixId = headerOf(headers, 'svix-id') ?? headerOf(headers, 'webhook-id');
    const reject = (status: number, reason: RejectReason, code: ErrorCode, error: string, details = {}) => {
      log.warn({ svixId, outcome: 'rejected', reason, code, error }, 'delivery rejected');
      options.onRejected?.(reason, code);
      return reply.code(status).send(errorBody(code, error, details));
    };

    const auth = await authenticate({ headers, body, ip: request.ip });
    if (!auth.ok) return reject(401, 'auth', auth.code, auth.reason);

    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch (error) {
      return reject(400, 'malformed', 'CN_BODY_INVALID_JSON', `malformed JSON: ${(error as Error).message}`);
    }
    if (nestsDeeperThan(parsed, MAX_JSON_DEPTH)) {
      return reject(400, 'malformed', 'CN_BODY_TOO_DEEP', `JSON nested deeper than ${MAX_JSON_DEPTH} levels`);
    }
    const envelope = envelopeSchema.safeParse(parsed);
    if (!envelope.success) {
      const issue = envelope.error.issues[0];
      return reject(
        400,
        'invalid',
        'CN_ENVELOPE_INVALID',
        `invalid envelope at ${['$', ...(issue?.path ?? [])].join('.')}: ${issue?.message}`,
      );
    }
    const { type, known } = recognizeEventType(envelope.data, {
      prefix: config.credo.eventTypePrefix,
      suffix: config.credo.eventTypeSuffix,
    });
    const data = parseEventData(type, envelope.data.data);
    if (!data.ok) {
      return reject(400, 'invalid', 'CN_EVENT_INVALID', `invalid data for ${type}`, { issues: data.issues });
    }
    if (!known && !unknownTypesSeen.has(envelope.data.type)) {
      unknownTypesSeen.add(envelope.data.type);
      log.warn({ rawType: envelope.data.type }, 'unknown event type: accepted and handled as "unknown"');
    }

    const id = svixId ?? `sha256:${createHash('sha256').update(body).digest('hex')}`;
    const routed: NewJob[] = router({ type, data: data.data }).map((d) => ({
      destination: d.destination,
      spec: { kind: 'route', route: d.route, template: d.template, thread: d.thread },
    }));
    if (routed.length === 0) log.info({ svixId: id, type }, 'no route matches this event');
    const jobs = [...routed, ...planDirectMessages({ type, data: data.data })];

    let outcome: AcceptResult;
    try {
      outcome = await store.acceptEvent(
        { id, type, rawType: envelope.data.type, payload: parsed, receivedAt: options.now() },
        jobs,
      );
    } catch (error) {
      // Not stored, so not acknowledged: Svix will deliver it again.
      log.error({ err: error, svixId: id, code: 'CN_STORE_UNAVAILABLE' }, 'could not store the delivery');
      options.onRejected?.('store', 'CN_STORE_UNAVAILABLE');
      return reply.code(503).send(errorBody('CN_STORE_UNAVAILABLE', 'store unavailable, retry later'));
    }
    log.info(
      { svixId: id, type: type === UNKNOWN_EVENT ? envelope.data.type : type, outcome, jobs: jobs.length },
      'delivery',
    );
    options.onAccepted?.(outcome, type, outcome === 'accepted' ? jobs.length : 0);
    return answer(reply, outcome, id, type, jobs.length);
  });
}

function answer(reply: FastifyReply, outcome: AcceptResult, id: string, type: string, jobs: number) {
  return reply.code(200).send({ status: outcome, id, type, deliveries: outcome === 'accepted' ? jobs : 0 });
}

function headerOf(headers: Record<string, string | string[] | undefined>, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}
