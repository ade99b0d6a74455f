import { EVENT_COLUMNS, type EventRow, JOB_COLUMNS, type JobRow, toEvent, toJob } from './rows.js';
import type { SqlRunner } from './sql.js';
import type { DeliveredJob, DeliveryLog, DeliveryQuery, EventDeliveries } from './store.js';

/**
 * The console's reads, the same SQL on both engines. Each filter is a condition on an indexed
 * column (schema step 3), and pages follow the key (received_at, id), a row-value comparison
 * both engines seek on, rather than an offset: the 2,000th page costs what the first does.
 */
export function sqlDeliveryLog(sql: SqlRunner): DeliveryLog {
  return {
    async searchDeliveries(query) {
      const events = eventsStatement(query);
      const eventRows = await sql.rows<EventRow>(events.sql, events.params);
      if (eventRows.length === 0) return [];
      const ids = eventRows.map((row) => row.id);
      const jobRows = await sql.rows<DeliveredJobRow>(
        `SELECT ${JOB_COLUMNS}, posted FROM jobs
         WHERE event_id IN (${ids.map((_, index) => `$${index + 1}`).join(', ')}) ORDER BY id`,
        ids,
      );
      return joinDeliveries(eventRows, jobRows);
    },
  };
}

interface Statement {
  sql: string;
  params: unknown[];
}

/** The page of events `query` asks for, newest first. */
function eventsStatement(query: DeliveryQuery): Statement {
  const params: unknown[] = [];
  const param = (value: unknown) => {
    params.push(value);
    return `$${params.length}`;
  };
  const where: string[] = [];
  if (query.eventId !== undefined) where.push(`e.id = ${param(query.eventId)}`);
  if (query.type !== undefined) where.push(`e.type = ${param(query.type)}`);
  if (query.useCaseId !== undefined) where.push(`e.use_case_id = ${param(query.useCaseId)}`);
  if (query.reviewId !== undefined) where.push(`e.review_id = ${param(query.reviewId)}`);
  if (query.before) {
    where.push(`(e.received_at, e.id) < (${param(query.before.receivedAt)}, ${param(query.before.id)})`);
  }
  const jobConditions = [
    query.state === undefined ? undefined : `j.state = ${param(query.state)}`,
    query.destination === undefined ? undefined : `j.destination = ${param(query.destination)}`,
  ].filter((condition) => condition !== undefined);
  if (jobConditions.length > 0) {
    where.push(`EXISTS (SELECT 1 FROM jobs j WHERE j.event_id = e.id AND ${jobConditions.join(' AND ')})`);
  }
  const sql = `SELECT ${EVENT_COLUMNS} FROM events e
    ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}
    ORDER BY e.received_at DESC, e.id DESC LIMIT ${param(query.limit)}`;
  return { sql, params };
}

type DeliveredJobRow = JobRow & { posted: string | null };

/** Puts each event's jobs beside it, keeping the events' order. */
function joinDeliveries(events: readonly EventRow[], jobs: readonly DeliveredJobRow[]): EventDeliveries[] {
  const byEvent = new Map<string, DeliveredJob[]>();
  for (const row of jobs) {
    const job: DeliveredJob = { ...toJob(row), posted: row.posted === null ? null : JSON.parse(row.posted) };
    byEvent.set(job.eventId, [...(byEvent.get(job.eventId) ?? []), job]);
  }
  return events.map((row) => ({ event: toEvent(row), jobs: byEvent.get(row.id) ?? [] }));
}
