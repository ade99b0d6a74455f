import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { readEvent } from '../events/credo-event.js';
import { isKnownEventType, UNKNOWN_EVENT } from '../events/event-types.js';
import type { TemplateSample } from './check-templates.js';

/**
 * The sample events every template must render: the guides' example payloads and our variants
 * for the types the guides show none of. A file is named after its event type; a name this
 * version does not know stands for an unknown event. They ship with the package for `check`.
 */
export const SAMPLE_EVENT_DIRS = [
  new URL('../../samples/events/', import.meta.url),
  new URL('../../samples/events/variants/', import.meta.url),
];

/** 27 Nov 2026, 15:04 UTC: when a sample without an envelope `time` "arrived". */
export const SAMPLE_RECEIVED_AT = Date.UTC(2026, 10, 27, 15, 4, 30);

export function loadSampleEvents(dirs: readonly URL[] = SAMPLE_EVENT_DIRS): TemplateSample[] {
  return dirs
    .filter((dir) => existsSync(dir))
    .flatMap((dir) =>
      readdirSync(dir)
        .filter((file) => file.endsWith('.json'))
        .map((file) => {
          const name = file.replace(/\.json$/, '');
          const typeName = name.split('.')[0] ?? name;
          const payload = JSON.parse(readFileSync(new URL(file, dir), 'utf8')) as { type: string };
          const event = readEvent({
            id: `msg_${typeName}`,
            type: isKnownEventType(typeName) ? typeName : UNKNOWN_EVENT,
            rawType: payload.type,
            payload,
            receivedAt: SAMPLE_RECEIVED_AT,
          });
          return { name, input: { event } };
        }),
    );
}
