import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Config } from '../config/schema.js';
import { type CredoEvent, parseEvent } from '../events/credo-event.js';
import { UNKNOWN_EVENT } from '../events/event-types.js';
import { envelopeSchema } from '../events/schemas.js';
import type { Logger } from '../log.js';
import type { Router } from '../routing/route-event.js';
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
  planDirectMessages: (event: CredoEvent) => NewJob[];
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
  onRejected?: (reason: RejectReason) => void;
}

export type RejectReason = 'auth' | 'malformed' | 'invalid' | 'store';

/** Svix ids are `msg_` and 27 characters; the dedupe key and every log line carry one. */
const MAX_DELIVERY_ID_LENGTH = 256;

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
    const reject = (status: number, reason: RejectReason, error: string, extra: object = {}) => {
      // A refused id is the sender's text: the log gets no more of it than an id can hold.
      const loggedId = svixId?.slice(0, MAX_DELIVERY_ID_LENGTH);
      log.warn({ svixId: loggedId, outcome: 'rejected', reason, error }, 'delivery rejected');
      options.onRejected?.(reason);
      return reply.code(status).send({ error, ...extra });
    };

    if (svixId !== undefined && svixId.length > MAX_DELIVERY_ID_LENGTH) {
      return reject(400, 'malformed', `delivery id longer than ${MAX_DELIVERY_ID_LENGTH} characters`);
    }
    const auth = await authenticate({ headers, body, ip: request.ip });
    if (!auth.ok) {
      if (auth.retryAfterSeconds) reply.header('retry-after', String(auth.retryAfterSeconds));
      return reject(auth.retryAfterSeconds ? 429 : 401, 'auth', auth.reason);
    }

    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch (error) {
      return reject(400, 'malformed', `malformed JSON: ${(error as Error).message}`);
    }
    if (nestsDeeperThan(parsed, MAX_JSON_DEPTH)) {
      return reject(400, 'malformed', `JSON nested deeper than ${MAX_JSON_DEPTH} levels`);
    }
    const envelope = envelopeSchema.safeParse(parsed);
    if (!envelope.success) {
      const issue = envelope.error.issues[0];
      return reject(
        400,
        'invalid',
        `invalid envelope at ${['$', ...(issue?.path ?? [])].join('.')}: ${issue?.message}`,
      );
    }
    const { type, known } = recognizeEventType(envelope.data, {
      prefix: config.credo.eventTypePrefix,
      suffix: config.credo.eventTypeSuffix,
    });
    const event = parseEvent(type, envelope.data.data);
    if (!event.ok) {
      return reject(400, 'invalid', `invalid data for ${type}`, { issues: event.issues });
    }
    if (!known && !unknownTypesSeen.has(envelope.data.type)) {
      unknownTypesSeen.add(envelope.data.type);
      log.warn({ rawType: envelope.data.type }, 'unknown event type: accepted and handled as "unknown"');
    }

    const id = svixId ?? `sha256:${createHash('sha256').update(body).digest('hex')}`;
    const routed: NewJob[] = router(event.data).map((d) => ({
      destination: d.destination,
      spec: { kind: 'route', route: d.route, template: d.template, thread: d.thread },
    }));
    if (routed.length === 0) log.info({ svixId: id, type }, 'no route matches this event');
    const jobs = [...routed, ...planDirectMessages(event.data)];

    let outcome: AcceptResult;
    try {
      outcome = await store.acceptEvent(
        { id, type, rawType: envelope.data.type, payload: parsed, receivedAt: options.now() },
        jobs,
      );
    } catch (error) {
      // Not stored, so not acknowledged: Svix will deliver it again.
      log.error({ err: error, svixId: id }, 'could not store the delivery');
      options.onRejected?.('store');
      return reply.code(503).send({ error: 'store unavailable, retry later' });
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
