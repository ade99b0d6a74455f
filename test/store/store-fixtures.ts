import { readdirSync, readFileSync } from 'node:fs';
import type { EventType } from '../../src/events/event-types.js';
import type { JobSpec, NewEvent, NewJob } from '../../src/store/store.js';

const FIXTURES = new URL('../../samples/events/', import.meta.url);

/** A moment of the delivered example: every test time counts from here. */
export const T0 = Date.parse('2025-08-07T05:56:32Z');

/** The fixture file names without `.json`, e.g. `use_case_review_comment`. */
export const fixtureNames = readdirSync(FIXTURES)
  .filter((file) => file.endsWith('.json'))
  .map((file) => file.slice(0, -'.json'.length));

/** A real payload from samples/events as the receiver would hand it to the store. */
export function fixtureEvent(name: string, id: string, receivedAt = T0): NewEvent {
  const payload = JSON.parse(readFileSync(new URL(`${name}.json`, FIXTURES), 'utf8')) as { type: string };
  return {
    id,
    // Fixture files are named after their event type (plus a variant after a dot).
    type: name.split('.')[0] as EventType,
    rawType: payload.type,
    payload,
    receivedAt,
  };
}

export const reviewSpec: JobSpec = { kind: 'route', route: 'reviews', template: 'review', thread: 'review' };

export function routeJob(destination: string, spec: JobSpec = reviewSpec): NewJob {
  return { destination, spec };
}
