import {
  EVENT_TYPES,
  type EventType,
  isKnownEventType,
  type KnownEventType,
  UNKNOWN_EVENT,
} from '../events/event-types.js';

export interface EventTypeAffixes {
  prefix: string;
  suffix: string;
}

export interface RecognizedEventType {
  type: EventType;
  known: boolean;
}

/** Longest first, so a type whose name contains another's is never mistaken for it. */
const byLengthDescending = [...EVENT_TYPES].sort((a, b) => b.length - a.length);

/**
 * Finds the event type in an envelope. `type` is `<prefix>.<event type>.<suffix>` with the affixes
 * set per webhook in Credo AI, either of which may be missing; when stripping the configured ones
 * gives no known type (the webhook's affixes changed, say), `subject` and `data.eventType` are
 * tried, then any known name inside `type`.
 */
export function recognizeEventType(
  envelope: { type: string; subject?: unknown; data?: unknown },
  affixes: EventTypeAffixes,
): RecognizedEventType {
  const candidates = [stripAffixes(envelope.type, affixes), envelope.subject, eventTypeField(envelope.data)];
  const type =
    candidates.find(isKnownName) ?? byLengthDescending.find((name) => envelope.type.includes(name));
  return type ? { type, known: true } : { type: UNKNOWN_EVENT, known: false };
}

function stripAffixes(type: string, { prefix, suffix }: EventTypeAffixes): string {
  const withoutPrefix = prefix && type.startsWith(`${prefix}.`) ? type.slice(prefix.length + 1) : type;
  return suffix && withoutPrefix.endsWith(`.${suffix}`)
    ? withoutPrefix.slice(0, -(suffix.length + 1))
    : withoutPrefix;
}

function isKnownName(candidate: unknown): candidate is KnownEventType {
  return typeof candidate === 'string' && isKnownEventType(candidate);
}

function eventTypeField(data: unknown): unknown {
  return typeof data === 'object' && data !== null ? (data as { eventType?: unknown }).eventType : undefined;
}
