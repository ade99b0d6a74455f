import type { Pool, PoolClient, QueryConfig, QueryResultRow } from 'pg';
import { assertKnownSchema, type Migration } from '../migration.js';
import { inTransaction } from './transaction.js';

/**
 * The PostgreSQL schema; the database records how many steps it has applied in
 * `credo_notify_schema`. Times are epoch milliseconds in bigint columns, as the Store speaks them.
 */

export const migrations: readonly Migration[] = [
  {
    name: 'events, jobs and kv',
    sql: `
      CREATE TABLE events (
        id text PRIMARY KEY,
        type text NOT NULL,
        raw_type text NOT NULL,
        -- JSON text exactly as serialised: jsonb would refuse a \\u0000 in a comment.
        payload text NOT NULL,
        received_at bigint NOT NULL
      );
      CREATE INDEX events_by_received_at ON events (received_at);

      -- An identity column: a job id shown to an operator never comes back as another job.
      CREATE TABLE jobs (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        event_id text NOT NULL REFERENCES events (id) ON DELETE CASCADE,
        destination text NOT NULL,
        spec text NOT NULL,
        state text NOT NULL CHECK (state IN ('pending', 'running', 'done', 'dead')),
        attempts integer NOT NULL DEFAULT 0,
        run_at bigint NOT NULL,
        lease_until bigint,
        created_at bigint NOT NULL,
        last_error text,
        updated_at bigint NOT NULL
      );
      -- The claim reads only unfinished jobs; done ones pile up until pruned and stay out of it.
      CREATE INDEX jobs_unfinished ON jobs (run_at, id) WHERE state IN ('pending', 'running');
      CREATE INDEX jobs_by_state ON jobs (state, id);
      CREATE INDEX jobs_by_event ON jobs (event_id);

      CREATE TABLE kv (
        namespace text NOT NULL,
        key text NOT NULL,
        value text NOT NULL,
        expires_at bigint,
        PRIMARY KEY (namespace, key)
      );
    `,
  },
  {
    name: 'claim by destination',
    sql: `
      -- The claim walks the destinations with pending work and takes the head of each, so its
      -- cost follows the number of destinations, not the size of the backlog.
      CREATE INDEX jobs_pending_by_destination ON jobs (destination, run_at, id) WHERE state = 'pending';
    `,
  },
  {
    name: 'the console: deliveries by use case, review, type and destination',
    sql: `
      -- Columns computed from the payload: accepting an event passes nothing new. A payload with
      -- a \\u0000 escape gets none, since reading its JSON would fail the insert.
      ALTER TABLE events ADD COLUMN use_case_id text GENERATED ALWAYS AS (
        CASE WHEN position('\\u0000' IN payload) = 0 THEN payload::json -> 'data' ->> 'useCaseId' END
      ) STORED;
      ALTER TABLE events ADD COLUMN review_id text GENERATED ALWAYS AS (
        CASE WHEN position('\\u0000' IN payload) = 0 THEN payload::json -> 'data' ->> 'reviewId' END
      ) STORED;
      -- Where the sent message landed (JSON), for a link to it.
      ALTER TABLE jobs ADD COLUMN posted text;
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
      ALTER TABLE jobs ADD COLUMN held_for text;
      -- A held job a digest took in: the digest job's id. It is done, and sent with that job.
      ALTER TABLE jobs ADD COLUMN digest_of bigint;
      CREATE INDEX jobs_held ON jobs (destination, held_for) WHERE held_for IS NOT NULL AND state = 'pending';
      CREATE INDEX jobs_by_digest ON jobs (digest_of) WHERE digest_of IS NOT NULL;
    `,
  },
  {
    name: 'destination holds',
    sql: `
      -- A destination no instance may send to before held_until: a 429's Retry-After, or the
      -- next probe of a platform that is down. Claims skip it; its jobs keep their place.
      CREATE TABLE destination_holds (destination text PRIMARY KEY, held_until bigint NOT NULL);
    `,
  },
];

/**
 * Applies the steps this database lacks in one transaction, under a transaction-level advisory
 * lock: a second instance starting at the same moment waits, then finds nothing left to do.
 * The lock is keyed by schema, so deployments in separate schemas of one database do not wait
 * on each other.
 */
export async function applyMigrations(pool: Pool): Promise<void> {
  await inTransaction(pool, async (unbounded) => {
    // A migration may rewrite a large table, and may wait for another instance's: an hour, not 5 s.
    await unbounded.query('SET LOCAL statement_timeout = 0');
    const client = { query: withoutTimeout(unbounded) };
    await client.query("SELECT pg_advisory_xact_lock(hashtext('credo-notify migrate ' || current_schema()))");
    await client.query('CREATE TABLE IF NOT EXISTS credo_notify_schema (version integer NOT NULL)');
    const { rows } = await client.query<{ version: number }>('SELECT version FROM credo_notify_schema');
    const applied = rows[0]?.version ?? 0;
    assertKnownSchema(applied, migrations);
    for (const migration of migrations.slice(applied)) await client.query(migration.sql);
    if (rows.length === 0)
      await client.query('INSERT INTO credo_notify_schema VALUES ($1)', [migrations.length]);
    else await client.query('UPDATE credo_notify_schema SET version = $1', [migrations.length]);
  });
}

const MIGRATION_TIMEOUT_MS = 3_600_000;

/** The client's queries with a migration's time limit instead of the pool's 5 s (pg reads 0 as unset). */
function withoutTimeout(client: PoolClient) {
  return <Row extends QueryResultRow>(text: string, values?: unknown[]) =>
    client.query<Row>({ text, values, query_timeout: MIGRATION_TIMEOUT_MS } as QueryConfig);
}
