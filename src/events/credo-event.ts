import { type EventType, isKnownEventType, UNKNOWN_EVENT } from './event-types.js';
import { type EventData, parseEventData } from './schemas.js';
import type { Validated } from './validation-issues.js';

/**
 * An event as everything after the receiver reads it: its type and its validated `data`, one
 * variant per event type (plus `unknown`), so a check of `type` tells what `data` holds.
 */
export type CredoEvent = { [T in EventType]: { type: T; data: EventData<T> } }[EventType];

/** A delivery as the worker and the templates see it: the typed event and what came with it. */
export type ReceivedEvent = CredoEvent & {
  /** The Svix message id (or a hash of the body): the delivery's id. */
  id: string;
  /** The envelope's `type` exactly as Credo AI sent it. */
  rawType: string;
  /** Envelope `time`, when Credo AI sent one. */
  time?: string;
  receivedAt: number;
};

/** An event as the store keeps it: the type recognized at receive time and the whole envelope. */
export interface EventRecord {
  /** The Svix message id (or a hash of the body). */
  id: string;
  type: EventType;
  /** The envelope's `type` exactly as Credo AI sent it. */
  rawType: string;
  /** The whole parsed envelope. */
  payload: unknown;
  receivedAt: number;
}

/**
 * Validates `data` as an event of `type`. The data keeps the order of its fields as sent (the
 * schemas put theirs first): `details` shows them in that order.
 */
export function parseEvent(type: EventType, data: unknown): Validated<CredoEvent> {
  const parsed = parseEventData(type, data);
  if (!parsed.ok) return parsed;
  // Each schema checks its own type's data, so the pair is one variant of the union.
  return { ok: true, data: { type, data: inSentOrder(parsed.data, data) } as CredoEvent };
}

/**
 * The typed event of a stored delivery, read with the receiver's own parse. Never fails: an
 * event that no longer validates (stored by another version, say) is delivered as `unknown`,
 * with whatever `data` it has.
 */
export function readEvent(record: EventRecord): ReceivedEvent {
  const envelope = isObject(record.payload) ? record.payload : {};
  const data = isObject(envelope.data) ? envelope.data : {};
  const type = isKnownEventType(record.type) ? record.type : UNKNOWN_EVENT;
  const parsed = parseEvent(type, data);
  return {
    ...(parsed.ok ? parsed.data : { type: UNKNOWN_EVENT, data }),
    id: record.id,
    rawType: record.rawType,
    time: typeof envelope.time === 'string' ? envelope.time : undefined,
    receivedAt: record.receivedAt,
  };
}

/** `parsed` with the fields of `sent` first, in their order; defaults the schema added follow. */
function inSentOrder<T extends object>(parsed: T, sent: unknown): T {
  if (!isObject(sent)) return parsed;
  const order = Object.fromEntries(Object.keys(sent).map((key) => [key, undefined]));
  return Object.assign(order, parsed);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
