import type { Config } from '../config/schema.js';
import type { ErrorCode } from '../errors.js';
import { type CredoEvent, parseEvent } from '../events/credo-event.js';
import { envelopeSchema } from '../events/schemas.js';
import { recognizeEventType } from './event-type.js';
import { MAX_JSON_DEPTH, nestsDeeperThan } from './json-depth.js';

/** A delivery's body that passed every check: the event it carries, typed. */
export interface ParsedDelivery {
  /** The body as JSON, as it is stored. */
  payload: unknown;
  /** The type as Credo AI sent it, `CredoAI.use_case_review_comment.v1` say. */
  rawType: string;
  /** Whether the type is one of the 15 credo-notify knows (else the event is `unknown`). */
  known: boolean;
  event: CredoEvent;
}

/** Why a body was refused: 400, with a code, a message for people and what failed validation. */
export interface DeliveryProblem {
  reason: 'malformed' | 'invalid';
  code: ErrorCode;
  message: string;
  details?: Record<string, unknown>;
}

export type ParseResult = { ok: true; delivery: ParsedDelivery } | { ok: false; problem: DeliveryProblem };

/**
 * The receiver's checks of a body, in its order: JSON, depth, envelope, the data of its type.
 * One function, so that the server, the route tester and `credo-notify route` refuse alike.
 */
export function parseDelivery(rawBody: string, credo: Config['credo']): ParseResult {
  const refuse = (reason: DeliveryProblem['reason'], code: ErrorCode, message: string, details?: object) => ({
    ok: false as const,
    problem: { reason, code, message, details: details as Record<string, unknown> | undefined },
  });
  let payload: unknown;
  try {
    payload = JSON.parse(rawBody);
  } catch (error) {
    return refuse('malformed', 'CN_BODY_INVALID_JSON', `malformed JSON: ${(error as Error).message}`);
  }
  if (nestsDeeperThan(payload, MAX_JSON_DEPTH)) {
    return refuse('malformed', 'CN_BODY_TOO_DEEP', `JSON nested deeper than ${MAX_JSON_DEPTH} levels`);
  }
  const envelope = envelopeSchema.safeParse(payload);
  if (!envelope.success) {
    const issue = envelope.error.issues[0];
    const at = ['$', ...(issue?.path ?? [])].join('.');
    return refuse('invalid', 'CN_ENVELOPE_INVALID', `invalid envelope at ${at}: ${issue?.message}`);
  }
  const { type, known } = recognizeEventType(envelope.data, {
    prefix: credo.eventTypePrefix,
    suffix: credo.eventTypeSuffix,
  });
  const event = parseEvent(type, envelope.data.data);
  if (!event.ok) {
    return refuse('invalid', 'CN_EVENT_INVALID', `invalid data for ${type}`, { issues: event.issues });
  }
  return { ok: true, delivery: { payload, rawType: envelope.data.type, known, event: event.data } };
}

/** A refusal in one line, as a person reads it: the message, then each issue at its path. */
export function describeProblem(problem: DeliveryProblem): string {
  const issues = Array.isArray(problem.details?.issues) ? problem.details.issues : [];
  const said = issues.map((issue: { path: string; message: string }) => `${issue.path} ${issue.message}`);
  return said.length === 0 ? `${problem.message}.` : `${problem.message}: ${said.join('; ')}`;
}
