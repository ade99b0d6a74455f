import { EVENT_COLUMNS, type EventRow, toEvent } from './rows.js';
import type { SqlRunner } from './sql.js';
import type { EventLog } from './store.js';

/** The event log but for accepting, which each engine does its own way (see group-commit.ts). */
export function sqlEventLog(sql: SqlRunner): Omit<EventLog, 'acceptEvent'> {
  return {
    async getEvent(id) {
      const [row] = await sql.rows<EventRow>(`SELECT ${EVENT_COLUMNS} FROM events WHERE id = $1`, [id]);
      return row && toEvent(row);
    },

    async prune(before) {
      // The events' done jobs go with them (ON DELETE CASCADE). A job a digest took in is done,
      // but its event stays while that digest is unfinished: a dead digest requeued sends it.
      const pruned = await sql.changes(
        `DELETE FROM events WHERE received_at < $1 AND NOT EXISTS (
           SELECT 1 FROM jobs WHERE jobs.event_id = events.id AND (jobs.state <> 'done' OR EXISTS (
             SELECT 1 FROM jobs AS digest WHERE digest.id = jobs.digest_of AND digest.state <> 'done')))`,
        [before],
      );
      await sql.changes('DELETE FROM kv WHERE expires_at < $1', [before]);
      await sql.changes('DELETE FROM destination_holds WHERE held_until < $1', [before]);
      return pruned;
    },
  };
}
