import { EVENT_COLUMNS, type EventRow, JOB_COLUMNS, type JobRow, toEvent, toJob } from './rows.js';
import type { SqlDialect, SqlRunner } from './sql.js';
import type { JobQueue, NewEvent, QueueStats } from './store.js';

/** listJobs without a limit: more rows than any table holds. */
const NO_LIMIT = Number.MAX_SAFE_INTEGER;

/** The job queue but for claiming, where the engines differ in how they lock and seek. */
export function sqlJobQueue(sql: SqlRunner, dialect: SqlDialect): Omit<JobQueue, 'claimJobs'> {
  const updatedNow = `updated_at = ${dialect.wallClockMs}`;
  return {
    async completeJob(id, posted) {
      await sql.changes(
        `UPDATE jobs SET state = 'done', lease_until = NULL, posted = $2, ${updatedNow}
         WHERE id = $1 AND state = 'running'`,
        [id, posted ? JSON.stringify(posted) : null],
      );
    },

    async retryJob(id, runAt, error, countAttempt = true) {
      await sql.changes(
        `UPDATE jobs SET state = 'pending', run_at = $2, lease_until = NULL,
           last_error = COALESCE($3, last_error),
           attempts = CASE WHEN attempts > $4 THEN attempts - $4 ELSE 0 END, ${updatedNow}
         WHERE id = $1 AND state = 'running'`,
        [id, runAt, error, countAttempt ? 0 : 1],
      );
    },

    async holdDestination(destination, until) {
      // The later of two holds wins: a Retry-After outlasts a probe another instance scheduled.
      await sql.changes(
        `INSERT INTO destination_holds (destination, held_until) VALUES ($1, $2)
         ON CONFLICT (destination) DO UPDATE SET held_until = CASE
           WHEN excluded.held_until > destination_holds.held_until THEN excluded.held_until
           ELSE destination_holds.held_until END`,
        [destination, until],
      );
    },

    async deadLetterJob(id, reason) {
      await sql.changes(
        `UPDATE jobs SET state = 'dead', lease_until = NULL, last_error = $2, ${updatedNow}
         WHERE id = $1 AND state = 'running'`,
        [id, reason],
      );
    },

    async holdJob(id, runAt, heldFor) {
      await sql.changes(
        `UPDATE jobs SET state = 'pending', run_at = $2, held_for = $3, lease_until = NULL,
           attempts = CASE WHEN attempts > 0 THEN attempts - 1 ELSE 0 END, ${updatedNow}
         WHERE id = $1 AND state = 'running'`,
        [id, runAt, heldFor],
      );
    },

    async gatherDigest(id) {
      // One statement: two instances can never both take in a held job, and a job taken in is
      // done in the same write, so no claim hands it out again. Only at the digest's first run:
      // once it has gathered (marked by its own digest_of), it sends that set on every retry,
      // since an earlier try may have reached the platform with it (and is found there by the
      // notifier, rather than sent again without what came later).
      await sql.changes(
        `UPDATE jobs SET state = 'done', digest_of = $1, lease_until = NULL, ${updatedNow}
         WHERE state = 'pending' AND digest_of IS NULL AND id <> $1
           AND (destination, held_for) IN (
             SELECT destination, held_for FROM jobs
             WHERE id = $1 AND state = 'running' AND held_for IS NOT NULL AND digest_of IS NULL)`,
        [id],
      );
      await sql.changes(
        `UPDATE jobs SET digest_of = $1
         WHERE id = $1 AND state = 'running' AND held_for IS NOT NULL AND digest_of IS NULL`,
        [id],
      );
      const rows = await sql.rows<JobRow>(
        `SELECT ${JOB_COLUMNS} FROM jobs WHERE id = $1 OR digest_of = $1
         ORDER BY CASE WHEN id = $1 THEN 0 ELSE 1 END, id`,
        [id],
      );
      const events = await eventsById(
        sql,
        rows.map((row) => row.eventId),
      );
      // An event is pruned only once no unfinished digest holds it (sql-event-log.ts).
      return rows.flatMap((row) => {
        const event = events.get(row.eventId);
        return event ? [{ ...toJob(row), event }] : [];
      });
    },

    async renewLeases(ids, leaseUntil) {
      if (ids.length === 0) return;
      const list = ids.map((_, i) => `$${i + 2}`).join(', ');
      await sql.changes(`UPDATE jobs SET lease_until = $1 WHERE state = 'running' AND id IN (${list})`, [
        leaseUntil,
        ...ids,
      ]);
    },

    async expireLeases(now) {
      return sql.changes(
        `UPDATE jobs SET lease_until = $1, ${updatedNow} WHERE state = 'running' AND lease_until > $1`,
        [now],
      );
    },

    async nextRunAt() {
      // Two index lookups rather than one scan of every unfinished job: this runs whenever the
      // worker goes idle, and a backlog can hold tens of thousands of jobs. MIN skips NULLs.
      const [row] = await sql.rows<{ next: number | null }>(
        `SELECT MIN(next) AS next FROM (
           SELECT MIN(run_at) AS next FROM jobs WHERE state = 'pending'
           UNION ALL
           SELECT MIN(lease_until) FROM jobs WHERE state = 'running'
         ) AS due`,
      );
      return row?.next ?? null;
    },

    async stats() {
      // An aggregate always yields one row.
      const [row] = await sql.rows<QueueStats>(
        `SELECT COUNT(*) FILTER (WHERE state = 'pending') AS pending,
                COUNT(*) FILTER (WHERE state = 'running') AS running,
                COUNT(*) FILTER (WHERE state = 'dead') AS dead,
                (SELECT MIN(events.received_at) FROM jobs JOIN events ON events.id = jobs.event_id
                 WHERE jobs.state IN ('pending', 'running')) AS "oldestPendingAt"
         FROM jobs WHERE state IN ('pending', 'running', 'dead')`,
      );
      return row as QueueStats;
    },

    async listJobs({ state, destination, limit }) {
      const rows = await sql.rows<JobRow>(
        `SELECT ${JOB_COLUMNS} FROM jobs
         WHERE (CAST($1 AS text) IS NULL OR state = $1) AND (CAST($2 AS text) IS NULL OR destination = $2)
         ORDER BY id LIMIT $3`,
        [state ?? null, destination ?? null, limit ?? NO_LIMIT],
      );
      return rows.map(toJob);
    },

    async getJob(id) {
      const [row] = await sql.rows<JobRow>(`SELECT ${JOB_COLUMNS} FROM jobs WHERE id = $1`, [id]);
      return row && toJob(row);
    },

    async requeueJob(id, now) {
      const requeued = await sql.changes(
        `UPDATE jobs SET state = 'pending', attempts = 0, run_at = $2, created_at = $2, lease_until = NULL,
           ${updatedNow}
         WHERE id = $1 AND state = 'dead'`,
        [id, now],
      );
      return requeued > 0;
    },

    async deleteJob(id) {
      return (await sql.changes('DELETE FROM jobs WHERE id = $1', [id])) > 0;
    },
  };
}

/** The events of a digest's jobs, each read once. */
async function eventsById(sql: SqlRunner, ids: readonly string[]): Promise<Map<string, NewEvent>> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return new Map();
  const list = unique.map((_, i) => `$${i + 1}`).join(', ');
  const rows = await sql.rows<EventRow>(`SELECT ${EVENT_COLUMNS} FROM events WHERE id IN (${list})`, unique);
  return new Map(rows.map((row) => [row.id, toEvent(row)]));
}
