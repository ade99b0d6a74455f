import type { Job, JobSpec, NewEvent, NewJob } from './store.js';

/**
 * How both SQL stores read jobs and events: the same column lists (double-quoted aliases, which
 * SQLite and PostgreSQL both keep as written) and the same conversion of a row.
 */
export const JOB_COLUMNS = `id, event_id AS "eventId", destination, spec, state, attempts, run_at AS "runAt",
  created_at AS "createdAt", last_error AS "lastError", held_for AS "heldFor"`;
export const EVENT_COLUMNS = 'id, type, raw_type AS "rawType", payload, received_at AS "receivedAt"';

/** Specs and payloads are stored as JSON text. */
export type JobRow = Omit<Job, 'spec' | 'heldFor'> & { spec: string; heldFor: string | null };
export type EventRow = Omit<NewEvent, 'payload'> & { payload: string };

export function toJob(row: JobRow): Job {
  return {
    id: row.id,
    eventId: row.eventId,
    destination: row.destination,
    spec: JSON.parse(row.spec) as JobSpec,
    state: row.state,
    attempts: row.attempts,
    runAt: row.runAt,
    createdAt: row.createdAt,
    lastError: row.lastError,
    ...(row.heldFor !== null && { heldFor: row.heldFor }),
  };
}

export function toEvent(row: EventRow): NewEvent {
  return { ...row, payload: JSON.parse(row.payload) };
}

/** An accepted delivery as both stores write it: serialised before it joins a batch, so a bad payload fails alone. */
export interface AcceptItem {
  id: string;
  type: string;
  rawType: string;
  payload: string;
  receivedAt: number;
  jobs: Array<{ destination: string; spec: string }>;
}

export function toAcceptItem(event: NewEvent, jobs: readonly NewJob[]): AcceptItem {
  return {
    id: event.id,
    type: event.type,
    rawType: event.rawType,
    payload: JSON.stringify(event.payload),
    receivedAt: event.receivedAt,
    jobs: jobs.map((job) => ({ destination: job.destination, spec: JSON.stringify(job.spec) })),
  };
}

/**
 * How many rows one accept transaction writes at most, an event and each of its jobs counting
 * one: a burst of deliveries goes in as several short transactions, with the event loop free
 * between them (issue 14). An event and its jobs always commit together, whatever their number.
 */
export const ACCEPT_BATCH_LIMIT = { max: 500, sizeOf: (item: AcceptItem) => 1 + item.jobs.length };
