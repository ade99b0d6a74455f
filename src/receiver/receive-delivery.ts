import { createHash } from 'node:crypto';
import type { Config } from '../config/schema.js';
import { type ErrorBody, type ErrorCode, errorBody } from '../errors.js';
import type { CredoEvent } from '../events/credo-event.js';
import { UNKNOWN_EVENT } from '../events/event-types.js';
import type { Logger } from '../log.js';
import type { AcceptResult, EventLog, NewJob } from '../store/store.js';
import type { SubscriptionRouter } from '../subscriptions/route-subscriptions.js';
import type { ChatSubscription } from '../subscriptions/subscription-book.js';
import type { DirectMessagePlan } from '../worker/direct-messages.js';
import type { Authenticate } from './authenticate.js';
import { parseDelivery } from './parse-delivery.js';

/** What receiving needs of the current config; read once per request, so a reload never splits one. */
export interface ReceiveState {
  config: Config;
  /** The routes and chat subscriptions: a pure function of the event and a snapshot of them. */
  router: SubscriptionRouter;
  /** The snapshot of chat subscriptions, at most a few seconds old. */
  subscriptions: () => Promise<readonly ChatSubscription[]>;
  authenticate: Authenticate;
  /** The direct messages an event owes, beside what the routes send. */
  planDirectMessages: (event: CredoEvent) => DirectMessagePlan;
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
/**
 * From this size on, a body's steps (signature, JSON and schemas, planning) take milliseconds
 * each: between them the event loop serves what arrived meanwhile, a `/healthz` say, rather
 * than holding it for all three at once (issue 14: a comment of 458 KB).
 */
const STEP_BY_STEP_BYTES = 64 * 1024;

const nextTurn = () => new Promise<void>((resume) => setImmediate(resume));

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
  const large = rawBody.length >= STEP_BY_STEP_BYTES;

  if (large) await nextTurn();
  const parsed = parseDelivery(rawBody, deps.config.credo);
  if (!parsed.ok) {
    const { reason, code, message, details } = parsed.problem;
    return reject(400, reason, code, message, details);
  }
  const { payload, rawType, known, event } = parsed.delivery;
  const { type } = event;
  if (!known && !deps.unknownTypesSeen.has(rawType)) {
    deps.unknownTypesSeen.add(rawType);
    log.warn({ rawType }, 'unknown event type: accepted and handled as "unknown"');
  }

  const id = svixId ?? `sha256:${createHash('sha256').update(rawBody).digest('hex')}`;
  const subscriptions = await deps.subscriptions();
  const routed: NewJob[] = deps.router(event, subscriptions).map((d) => ({
    destination: d.destination,
    spec: { kind: 'route', route: d.route, template: d.template, thread: d.thread },
  }));
  if (routed.length === 0) log.info({ svixId: id, type }, 'no route matches this event');
  if (large) await nextTurn();
  const directMessages = deps.planDirectMessages(event);
  const jobs = [...routed, ...directMessages.jobs];

  let result: AcceptResult;
  try {
    result = await deps.store.acceptEvent({ id, type, rawType, payload, receivedAt: deps.now() }, jobs);
  } catch (error) {
    // Not stored, so not acknowledged: Svix will deliver it again.
    log.error({ err: error, svixId: id, code: 'CN_STORE_UNAVAILABLE' }, 'could not store the delivery');
    return {
      status: 503,
      body: errorBody('CN_STORE_UNAVAILABLE', 'store unavailable, retry later'),
      outcome: { kind: 'rejected', reason: 'store', code: 'CN_STORE_UNAVAILABLE' },
    };
  }
  // A duplicate's jobs were planned but not stored: it delivers nothing, and its log line says so.
  const deliveries = result === 'accepted' ? jobs.length : 0;
  log.info(
    { svixId: id, type: type === UNKNOWN_EVENT ? rawType : type, outcome: result, jobs: deliveries },
    'delivery',
  );
  // Once per event: a duplicate delivery of it is not accepted again.
  if (result === 'accepted' && directMessages.mentionsPastCap > 0) {
    logMentionsPastCap(log, id, directMessages.mentionsPastCap, deps.config.mentions.maxPerEvent);
  }
  return {
    status: 200,
    body: { status: result, id, type, deliveries },
    outcome: { kind: result, type, jobs: deliveries },
  };
}

function logMentionsPastCap(log: Logger, svixId: string, pastCap: number, maxPerEvent: number): void {
  log.warn(
    { svixId, code: 'CN_MENTIONS_PAST_CAP', mentionsPastCap: pastCap, maxPerEvent },
    `${pastCap} mentions name people past the first mentions.maxPerEvent (${maxPerEvent}): shown as names, not looked up or messaged`,
  );
}

function headerOf(headers: DeliveryRequest['headers'], name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}
