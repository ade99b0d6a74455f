import type Database from 'better-sqlite3';
import { assertKnownSchema, type Migration } from '../migration.js';

/** The SQLite schema; the database records how many steps it has applied in `user_version`. */
export const migrations: readonly Migration[] = [
  {
    name: 'events, jobs and kv',
    sql: `
      CREATE TABLE events (
        id TEXT PRIMARY KEY,
        type TEXT NOT NULL,
        raw_type TEXT NOT NULL,
        payload TEXT NOT NULL,
        received_at INTEGER NOT NULL
      );
      CREATE INDEX events_by_received_at ON events (received_at);

      -- AUTOINCREMENT: a job id shown to an operator never comes back as another job.
      CREATE TABLE jobs (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        event_id TEXT NOT NULL REFERENCES events (id) ON DELETE CASCADE,
        destination TEXT NOT NULL,
        spec TEXT NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('pending', 'running', 'done', 'dead')),
        attempts INTEGER NOT NULL DEFAULT 0,
        run_at INTEGER NOT NULL,
        lease_until INTEGER,
        created_at INTEGER NOT NULL,
        last_error TEXT,
        updated_at INTEGER NOT NULL
      );
      -- The claim reads due pending jobs by run_at and running jobs by state.
      CREATE INDEX jobs_by_state_run_at ON jobs (state, run_at, id);
      CREATE INDEX jobs_by_event ON jobs (event_id);

      CREATE TABLE kv (
        namespace TEXT NOT NULL,
        key TEXT NOT NULL,
        value TEXT NOT NULL,
        expires_at INTEGER,
        PRIMARY KEY (namespace, key)
      ) WITHOUT ROWID;
    `,
  },
  {
    name: 'claim by destination',
    sql: `
      -- The claim walks the destinations with pending work and takes the head of each, so its
      -- cost follows the number of destinations, not the size of the backlog.
      CREATE INDEX jobs_by_state_destination ON jobs (state, destination, run_at, id);
    `,
  },
  {
    name: 'the console: deliveries by use case, review, type and destination',
    sql: `
      -- Virtual columns read from the payload: accepting an event writes nothing new, only the
      -- index entries. The console filters on them and pages by (received_at, id).
      ALTER TABLE events ADD COLUMN use_case_id TEXT
        GENERATED ALWAYS AS (json_extract(payload, '$.data.useCaseId')) VIRTUAL;
      ALTER TABLE events ADD COLUMN review_id TEXT
        GENERATED ALWAYS AS (json_extract(payload, '$.data.reviewId')) VIRTUAL;
      -- Where the sent message landed (JSON), for a link to it.
      ALTER TABLE jobs ADD COLUMN posted TEXT;
      DROP INDEX events_by_received_at;
      CREATE INDEX events_newest ON events (received_at, id);
      CREATE INDEX events_by_type ON events (type, received_at, id);
      CREATE INDEX events_by_use_case ON events (use_case_id, received_at, id) WHERE use_case_id IS NOT NULL;
      CREATE INDEX events_by_review ON events (review_id, received_at, id) WHERE review_id IS NOT NULL;
      CREATE INDEX jobs_by_destination ON jobs (destination, event_id);
    `,
  },
  {
    name: 'digests: held jobs and what a digest sent',
    sql: `
      -- A held job waits for its digest: the key its digest gathers by (issue 18).
      ALTER TABLE jobs ADD COLUMN held_for TEXT;
      -- A held job a digest took in: the digest job's id. It is done, and sent with that job.
      ALTER TABLE jobs ADD COLUMN digest_of INTEGER;
      CREATE INDEX jobs_held ON jobs (destination, held_for) WHERE held_for IS NOT NULL AND state = 'pending';
      CREATE INDEX jobs_by_digest ON jobs (digest_of) WHERE digest_of IS NOT NULL;
    `,
  },
  {
    name: 'destination holds',
    sql: `
      -- A destination no instance may send to before held_until: a 429's Retry-After, or the
      -- next probe of a platform that is down. Claims skip it; its jobs keep their place.
      CREATE TABLE destination_holds (destination TEXT PRIMARY KEY, held_until INTEGER NOT NULL) WITHOUT ROWID;
    `,
  },
];

/**
 * Applies the steps this database lacks, all in one immediate transaction: a second process
 * migrating at the same moment waits, then finds nothing left to do.
 */
export function applyMigrations(db: Database.Database): void {
  db.transaction(() => {
    const applied = db.pragma('user_version', { simple: true }) as number;
    assertKnownSchema(applied, migrations);
    if (applied === migrations.length) return;
    for (const migration of migrations.slice(applied)) db.exec(migration.sql);
    // Only when a step ran: setting it writes the first page, and a start then writes nothing.
    db.pragma(`user_version = ${migrations.length}`);
  }).immediate();
}
