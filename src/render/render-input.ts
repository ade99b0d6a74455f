import type { EventType } from '../events/event-types.js';
import type { RenderInput } from './renderer.js';

export interface EventRecord {
  id: string;
  type: EventType;
  rawType: string;
  /** The envelope as Credo AI sent it. */
  payload: unknown;
  receivedAt: number;
}

/** What a template sees of a stored (or sample) event. */
export function toRenderInput(event: EventRecord): RenderInput {
  const envelope = (event.payload ?? {}) as { data?: Record<string, unknown>; time?: unknown };
  return {
    event: {
      id: event.id,
      type: event.type,
      rawType: event.rawType,
      data: envelope.data ?? {},
      time: typeof envelope.time === 'string' ? envelope.time : undefined,
      receivedAt: event.receivedAt,
    },
  };
}
