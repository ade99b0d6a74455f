import type { EventLog, Job, JobQueue, JobSpec } from '../store/store.js';

/**
 * Dead letters: jobs that failed for good (a permanent error, or out of retries). The CLI and
 * the admin API both work through these functions, on the store, so they behave the same and
 * either may run while a server runs. A retried job goes back to the queue; the worker then
 * renders it with the config and templates in force at that moment.
 */

export interface DeadLetter {
  id: number;
  destination: string;
  eventId: string;
  /** The event type, `unknown` for one this version does not know. */
  type: string;
  /** Attempts made before it was given up. */
  attempts: number;
  /** Why the last attempt failed: the platform's error code or the template's complaint. */
  lastError: string | null;
  /** When Credo AI's delivery was received, ISO 8601. */
  receivedAt: string;
}

export interface DeadLetterDetail extends DeadLetter {
  spec: JobSpec;
  /** The Credo AI delivery as received: the message is rendered from this. */
  payload: unknown;
}

export const DEFAULT_LIST_LIMIT = 100;

export async function listDeadLetters(
  store: JobQueue & EventLog,
  limit = DEFAULT_LIST_LIMIT,
  destination?: string,
): Promise<DeadLetter[]> {
  const jobs = await store.listJobs({ state: 'dead', destination, limit });
  const letters = await Promise.all(jobs.map((job) => describe(store, job)));
  return letters.map(({ spec: _spec, payload: _payload, ...summary }) => summary);
}

export async function getDeadLetter(
  store: JobQueue & EventLog,
  id: number,
): Promise<DeadLetterDetail | undefined> {
  const job = await store.getJob(id);
  return job?.state === 'dead' ? describe(store, job) : undefined;
}

/** Back in the queue, due now, with a fresh attempt count. False when `id` is no dead letter. */
export function retryDeadLetter(store: JobQueue, id: number, now: number): Promise<boolean> {
  return store.requeueJob(id, now);
}

/** Requeues every dead letter, or every one of a destination (once its channel is fixed); returns how many. */
export async function retryAllDeadLetters(
  store: JobQueue,
  now: number,
  destination?: string,
): Promise<number> {
  const jobs = await store.listJobs({ state: 'dead', destination });
  const requeued = await Promise.all(jobs.map((job) => store.requeueJob(job.id, now)));
  return requeued.filter(Boolean).length;
}

/** Forgets a dead letter for good. False when `id` is no dead letter: live jobs are never dropped. */
export async function dropDeadLetter(store: JobQueue, id: number): Promise<boolean> {
  const job = await store.getJob(id);
  return job?.state === 'dead' ? store.deleteJob(id) : false;
}

/** Forgets every dead letter of a destination; returns how many. */
export async function dropAllDeadLetters(store: JobQueue, destination: string): Promise<number> {
  const jobs = await store.listJobs({ state: 'dead', destination });
  const dropped = await Promise.all(jobs.map((job) => dropDeadLetter(store, job.id)));
  return dropped.filter(Boolean).length;
}

/** A job id or count as typed by a person: digits only, or undefined. */
export function parseWholeNumber(text: string): number | undefined {
  return /^\d+$/.test(text.trim()) ? Number(text) : undefined;
}

async function describe(store: EventLog, job: Job): Promise<DeadLetterDetail> {
  // A job's event goes only with the job (prune spares events with dead jobs).
  const event = await store.getEvent(job.eventId);
  if (!event) throw new Error(`dead letter ${job.id} refers to event ${job.eventId}, which is missing`);
  return {
    id: job.id,
    destination: job.destination,
    eventId: job.eventId,
    type: event.type,
    attempts: job.attempts,
    lastError: job.lastError,
    receivedAt: new Date(event.receivedAt).toISOString(),
    spec: job.spec,
    payload: event.payload,
  };
}
