import { createHash } from 'node:crypto';
import type { Config } from '../config/schema.js';
import { type ErrorBody, type ErrorCode, errorBody } from '../errors.js';
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

/** One delivery as it came over HTTP: the body as the exact bytes sent, since the signature covers those. */
export interface DeliveryRequest {
  headers: Record<string, string | string[] | undefined>;
  rawBody: string;
  ip: string;
}

export interface ReceiveDeps extends ReceiveState {
  store: Pick<EventLog, 'acceptEvent'>;
  log: Logger;
  now: () => number;
  /** Raw types already warned about as unknown: one warning per type per process, not per delivery. */
  unknownTypesSeen: Set<string>;
}

export type RejectReason = 'auth' | 'malformed' | 'invalid' | 'store';

/** Svix ids are `msg_` and 27 characters; the dedupe key and every log line carry one. */
const MAX_DELIVERY_ID_LENGTH = 256;

export type ReceiveOutcome =
  | { kind: AcceptResult; type: string; jobs: number }
  | { kind: 'rejected'; reason: RejectReason; code: ErrorCode };

export interface ReceiveAnswer {
  status: number;
  headers?: Record<string, string>;
  body: ErrorBody | { status: AcceptResult; id: string; type: string; deliveries: number };
  outcome: ReceiveOutcome;
}

/**
 * Receives one delivery, knowing nothing of HTTP servers: authenticate over the raw bytes,
 * validate, store the event and its jobs in one transaction, and only then answer 2xx.
 * Everything after the answer happens in the worker.
 */
export async function receiveDelivery(request: DeliveryRequest, deps: ReceiveDeps): Promise<ReceiveAnswer> {
  const { headers, rawBody, ip } = request;
  const { log } = deps;
  const svixId = headerOf(headers, 'svix-id') ?? headerOf(headers, 'webhook-id');
  const reject = (
    status: number,
    reason: RejectReason,
    code: ErrorCode,
    message: string,
    details = {},
  ): ReceiveAnswer => {
    // A refused id is the sender's text: the log gets no more of it than an id can hold.
    const loggedId = svixId?.slice(0, MAX_DELIVERY_ID_LENGTH);
    log.warn({ svixId: loggedId, outcome: 'rejected', reason, code, error: message }, 'delivery rejected');
    return { status, body: errorBody(code, message, details), outcome: { kind: 'rejected', reason, code } };
  };

  if (svixId !== undefined && svixId.length > MAX_DELIVERY_ID_LENGTH) {
    const message = `delivery id longer than ${MAX_DELIVERY_ID_LENGTH} characters`;
    return reject(400, 'malformed', 'CN_DELIVERY_ID_TOO_LONG', message);
  }
  const auth = await deps.authenticate({ headers, body: rawBody, ip });
  if (!auth.ok && auth.retryAfterSeconds) {
    const refused = reject(429, 'auth', auth.code, auth.reason);
    return { ...refused, headers: { 'retry-after': String(auth.retryAfterSeconds) } };
  }
  if (!auth.ok) return reject(401, 'auth', auth.code, auth.reason);

  let parsed: unknown;
  try {
    parsed = JSON.parse(rawBody);
  } catch (error) {
    return reject(400, 'malformed', 'CN_BODY_INVALID_JSON', `malformed JSON: ${(error as Error).message}`);
  }
  if (nestsDeeperThan(parsed, MAX_JSON_DEPTH)) {
    return reject(400, 'malformed', 'CN_BODY_TOO_DEEP', `JSON nested deeper than ${MAX_JSON_DEPTH} levels`);
  }
  const envelope = envelopeSchema.safeParse(parsed);
  if (!envelope.success) {
    const issue = envelope.error.issues[0];
    const at = ['$', ...(issue?.path ?? [])].join('.');
    return reject(400, 'invalid', 'CN_ENVELOPE_INVALID', `invalid envelope at ${at}: ${issue?.message}`);
  }
  const { config } = deps;
  const { type, known } = recognizeEventType(envelope.data, {
    prefix: config.credo.eventTypePrefix,
    suffix: config.credo.eventTypeSuffix,
  });
  const event = parseEvent(type, envelope.data.data);
  if (!event.ok) {
    return reject(400, 'invalid', 'CN_EVENT_INVALID', `invalid data for ${type}`, { issues: event.issues });
  }
  const rawType = envelope.data.type;
  if (!known && !deps.unknownTypesSeen.has(rawType)) {
    deps.unknownTypesSeen.add(rawType);
    log.warn({ rawType }, 'unknown event type: accepted and handled as "unknown"');
  }

  const id = svixId ?? `sha256:${createHash('sha256').update(rawBody).digest('hex')}`;
  const routed: NewJob[] = deps.router(event.data).map((d) => ({
    destination: d.destination,
    spec: { kind: 'route', route: d.route, template: d.template, thread: d.thread },
  }));
  if (routed.length === 0) log.info({ svixId: id, type }, 'no route matches this event');
  const jobs = [...routed, ...deps.planDirectMessages(event.data)];

  let result: AcceptResult;
  try {
    result = await deps.store.acceptEvent(
      { id, type, rawType, payload: parsed, receivedAt: deps.now() },
      jobs,
    );
  } catch (error) {
    // Not stored, so not acknowledged: Svix will deliver it again.
    log.error({ err: error, svixId: id, code: 'CN_STORE_UNAVAILABLE' }, 'could not store the delivery');
    return {
      status: 503,
      body: errorBody('CN_STORE_UNAVAILABLE', 'store unavailable, retry later'),
      outcome: { kind: 'rejected', reason: 'store', code: 'CN_STORE_UNAVAILABLE' },
    };
  }
  log.info(
    { svixId: id, type: type === UNKNOWN_EVENT ? rawType : type, outcome: result, jobs: jobs.length },
    'delivery',
  );
  const deliveries = result === 'accepted' ? jobs.length : 0;
  return {
    status: 200,
    body: { status: result, id, type, deliveries },
    outcome: { kind: result, type, jobs: deliveries },
  };
}

function headerOf(headers: DeliveryRequest['headers'], name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}
