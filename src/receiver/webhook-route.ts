import type { FastifyInstance } from 'fastify';
import type { Config } from '../config/schema.js';
import type { ErrorCode } from '../errors.js';
import type { Logger } from '../log.js';
import type { AcceptResult, EventLog } from '../store/store.js';
import {
  type ReceiveOutcome,
  type ReceiveState,
  type RejectReason,
  receiveDelivery,
} from './receive-delivery.js';

export interface WebhookRouteOptions {
  /** Path and body limit are fixed at start; the rest follows reloads. */
  config: Config;
  current: () => ReceiveState;
  store: Pick<EventLog, 'acceptEvent'>;
  log: Logger;
  now: () => number;
  /** Called after an event and its jobs are committed, so the worker can start at once. */
  onAccepted?: (outcome: AcceptResult, type: string, jobs: number) => void;
  onRejected?: (reason: RejectReason, code: ErrorCode) => void;
}

/**
 * POST {webhookPath}: the HTTP side of receiveDelivery. Fastify hands it the body as the exact
 * bytes sent, and sends back what it answers.
 */
export async function webhookRoute(app: FastifyInstance, options: WebhookRouteOptions): Promise<void> {
  const { store, log, now } = options;
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
    const answer = await receiveDelivery(
      { headers: request.headers, rawBody: request.body as string, ip: request.ip },
      { ...options.current(), store, log, now, unknownTypesSeen },
    );
    report(answer.outcome, options);
    return reply
      .code(answer.status)
      .headers(answer.headers ?? {})
      .send(answer.body);
  });
}

function report(outcome: ReceiveOutcome, options: WebhookRouteOptions): void {
  if (outcome.kind === 'rejected') options.onRejected?.(outcome.reason, outcome.code);
  else options.onAccepted?.(outcome.kind, outcome.type, outcome.jobs);
}
