import { createRequire } from 'node:module';
import type * as Pg from 'pg';
import type { QueryConfig } from 'pg';
import { sqlDeliveryLog } from '../delivery-search.js';
import { createGroupCommit } from '../group-commit.js';
import { ACCEPT_BATCH_LIMIT, type AcceptItem, type JobRow, toAcceptItem, toJob } from '../rows.js';
import type { SqlDialect, SqlRunner } from '../sql.js';
import { sqlEventLog } from '../sql-event-log.js';
import { sqlJobQueue } from '../sql-job-queue.js';
import { sqlKeyValueState } from '../sql-key-value-state.js';
import type { AcceptResult, ClaimedJob, NewEvent, Store } from '../store.js';
import { connectFailure } from './connect-failure.js';
import { applyMigrations } from './migrations.js';
import { inTransaction } from './transaction.js';

export interface PostgresStoreOptions {
  /** `postgres://user:password@host:5432/database`, with libpq's query parameters (sslmode...). */
  url: string;
}

/** Connections per instance: requests and the worker share them; each query holds one briefly. */
const POOL_SIZE = 10;

const BIGINT_OID = 20;
/**
 * Times are epoch milliseconds and ids count up from 1: bigint values far below 2^53, which
 * read back as numbers rather than pg's default strings.
 */
function typeParsers({ types }: typeof Pg) {
  return {
    getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
      oid === BIGINT_OID ? Number : types.getTypeParser(oid, format)) as typeof types.getTypeParser,
  };
}

/**
 * pg is loaded when a PostgreSQL store is opened, not with this module: a server on SQLite never
 * needs it, and loading it cost 3 MB and 76 ms, and 9 MB more for Node's own fetch, which pg's
 * stream.js pulls in by looking for a global `Response`. (pg is CommonJS: require keeps
 * createPostgresStore synchronous.)
 */
const loadPg = () => createRequire(import.meta.url)('pg') as typeof Pg;

const dialect: SqlDialect = {
  wallClockMs: '(extract(epoch FROM clock_timestamp()) * 1000)::bigint',
  // The database's own collation follows its locale, which differs from one server to another.
  codePointOrder: 'COLLATE "C"',
};

/**
 * The deliveries of one batch in one statement, so one transaction and one flush of the log:
 * each event unless its id is known (or came earlier in the batch), and its jobs only if the
 * event went in. Returns the ids inserted. Two instances receiving the same id at once: the
 * second insert waits for the first to commit, then does nothing, and that caller hears
 * "duplicate". Parameters: the events' columns as arrays, then per job the (1-based) place of
 * its event in the batch, its destination and its spec.
 */
const ACCEPT_SQL = `
  WITH input AS (
    SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::bigint[])
      WITH ORDINALITY AS input (id, type, raw_type, payload, received_at, place)
  ), first AS (
    SELECT DISTINCT ON (id) * FROM input ORDER BY id, place
  ), event AS (
    INSERT INTO events (id, type, raw_type, payload, received_at)
    -- In id order: instances inserting overlapping batches wait for one another in one order,
    -- never in a cycle, which PostgreSQL would break by failing one of them.
    SELECT id, type, raw_type, payload, received_at FROM first ORDER BY id
    ON CONFLICT (id) DO NOTHING
    RETURNING id
  ), added AS (
    INSERT INTO jobs (event_id, destination, spec, state, attempts, run_at, created_at, updated_at)
    SELECT event.id, job.destination, job.spec, 'pending', 0, first.received_at, first.received_at,
      ${dialect.wallClockMs}
    FROM unnest($6::bigint[], $7::text[], $8::text[]) WITH ORDINALITY AS job (event_place, destination, spec, place)
    JOIN first ON first.place = job.event_place
    JOIN event ON event.id = first.id
    ORDER BY job.place
    RETURNING 1
  )
  SELECT id FROM event`;

/**
 * Claims are serialised by a transaction-level advisory lock (keyed by schema), so each claim
 * sees every earlier one committed and "one running job per destination" holds across
 * instances. Row locks alone would not do: two claims reading at different moments can each
 * see a different first job of one destination (one that arrived meanwhile from an instance
 * whose clock is behind, a requeued one) and take both. A lock held by an instance that dies
 * goes with its connection. The UPDATE repeats the state test: a job its old owner finished
 * while this claim waited for the row is left alone.
 */
/** How long a connection or a query may take before it fails (see the pool below). */
export const QUERY_TIMEOUT_MS = 5_000;

const CLAIM_LOCK_SQL = "SELECT pg_advisory_xact_lock(hashtext('credo-notify claim ' || current_schema()))";
const CLAIMABLE =
  "(jobs.state = 'pending' AND jobs.run_at <= $1) OR (jobs.state = 'running' AND jobs.lease_until <= $1)";
/**
 * A loose index scan, as on SQLite: one index seek to each destination with pending work and one
 * to its oldest due job, so a backlog of tens of thousands costs a few hundred seeks, where
 * ranking every due job cost PostgreSQL CPU in proportion to the backlog at every claim.
 * Exported for the test that reads its plan. Parameters: now, limit, lease end.
 */
export const CLAIM_SQL = `
  WITH RECURSIVE destinations (name) AS (
    SELECT min(destination) FROM jobs WHERE state = 'pending'
    UNION ALL
    SELECT (SELECT min(destination) FROM jobs WHERE state = 'pending' AND destination > name)
    FROM destinations WHERE name IS NOT NULL
  ), heads AS (
    -- LATERAL, not a scalar subquery joined back to jobs by id: for that join the planner chose
    -- a hash join over a scan of every job, which made each claim cost as much as the backlog.
    SELECT head.id, head.destination, head.run_at
    FROM destinations CROSS JOIN LATERAL (
      SELECT id, destination, run_at FROM jobs
      WHERE state = 'pending' AND destination = destinations.name AND run_at <= $1
      ORDER BY run_at, id LIMIT 1
    ) AS head
    UNION ALL
    SELECT id, destination, run_at FROM jobs WHERE state = 'running' AND lease_until <= $1
  ), busy AS (
    SELECT destination FROM jobs WHERE state = 'running' AND lease_until > $1
  ), due AS (
    SELECT id, run_at, row_number() OVER (PARTITION BY destination ORDER BY run_at, id) AS place
    FROM heads
    WHERE destination NOT IN (SELECT destination FROM busy)
      AND destination NOT IN (SELECT destination FROM destination_holds WHERE held_until > $1)
  ), chosen AS (
    SELECT id FROM due WHERE place = 1 ORDER BY run_at, id LIMIT $2
  ), claimed AS (
    UPDATE jobs SET state = 'running', attempts = attempts + 1, lease_until = $3, updated_at = ${dialect.wallClockMs}
    FROM chosen WHERE jobs.id = chosen.id AND (${CLAIMABLE})
    RETURNING jobs.*
  )
  SELECT claimed.id, claimed.event_id AS "eventId", claimed.destination, claimed.spec, claimed.state,
    claimed.attempts, claimed.run_at AS "runAt", claimed.created_at AS "createdAt",
    claimed.last_error AS "lastError", claimed.held_for AS "heldFor", events.type AS "eventType", events.raw_type AS "eventRawType",
    events.payload AS "eventPayload", events.received_at AS "eventReceivedAt"
  FROM claimed JOIN events ON events.id = claimed.event_id
  ORDER BY claimed.run_at, claimed.id`;

const statementNames = new Map<string, string>();
/**
 * A named statement: each connection parses and plans it once, then only binds and runs it.
 * Unnamed, PostgreSQL planned every claim and accept again, on the same two cores as us.
 */
function prepared(text: string, values: unknown[] = []): QueryConfig {
  let name = statementNames.get(text);
  if (name === undefined) {
    name = `credo_notify_${statementNames.size + 1}`;
    statementNames.set(text, name);
  }
  return { name, text, values };
}

type ClaimRow = JobRow & {
  eventType: NewEvent['type'];
  eventRawType: string;
  eventPayload: string;
  eventReceivedAt: number;
};

/**
 * The Store on PostgreSQL, for several instances sharing one database: deliveries are accepted
 * once whichever instance receives them, and each job is claimed by one instance at a time.
 */
export function createPostgresStore(options: PostgresStoreOptions): Store {
  const pg = loadPg();
  const pool = new pg.Pool({
    connectionString: options.url,
    max: POOL_SIZE,
    application_name: 'credo-notify',
    types: typeParsers(pg),
    // A stalled or unreachable database must fail a webhook request fast (503: Svix sends it
    // again) rather than hold it past Svix's 15 s: for a connection, a query and, on the server,
    // a statement. Migrations, which may rightly take longer, lift the last two for themselves.
    connectionTimeoutMillis: QUERY_TIMEOUT_MS,
    query_timeout: QUERY_TIMEOUT_MS,
    statement_timeout: QUERY_TIMEOUT_MS,
  });
  // An idle connection the server dropped (restart, failover) is discarded by the pool; the
  // next query opens a new one or fails to its caller. Without a listener it would crash us.
  pool.on('error', () => {});

  const query = async <Row>(sql: string, values: unknown[] = []) =>
    pool.query<Row & object>(prepared(sql, values));
  const sql: SqlRunner = {
    rows: async <Row>(text: string, values?: unknown[]) => (await query<Row>(text, values)).rows,
    changes: async (text, values) => (await query(text, values)).rowCount ?? 0,
  };

  const accept = async (items: readonly AcceptItem[]): Promise<AcceptResult[]> => {
    const { rows } = await query<{ id: string }>(ACCEPT_SQL, [
      items.map((item) => item.id),
      items.map((item) => item.type),
      items.map((item) => item.rawType),
      items.map((item) => item.payload),
      items.map((item) => item.receivedAt),
      items.flatMap((item, index) => item.jobs.map(() => index + 1)),
      items.flatMap((item) => item.jobs.map((job) => job.destination)),
      items.flatMap((item) => item.jobs.map((job) => job.spec)),
    ]);
    const inserted = new Set(rows.map((row) => row.id));
    // An id twice in one batch went in once, as its first copy.
    return items.map((item, index) =>
      inserted.has(item.id) && items.findIndex((other) => other.id === item.id) === index
        ? 'accepted'
        : 'duplicate',
    );
  };
  // Deliveries read in one turn of the event loop share a statement and a flush of the log.
  const acceptCommit = createGroupCommit(accept, { batchLimit: ACCEPT_BATCH_LIMIT });

  return {
    ...sqlEventLog(sql),
    ...sqlDeliveryLog(sql),
    async acceptEvent(event, jobs) {
      return acceptCommit.submit(toAcceptItem(event, jobs));
    },

    ...sqlJobQueue(sql, dialect),
    async claimJobs({ now, limit, leaseMs }) {
      return inTransaction(pool, async (client) => {
        await client.query(prepared(CLAIM_LOCK_SQL));
        const { rows } = await client.query<ClaimRow>(prepared(CLAIM_SQL, [now, limit, now + leaseMs]));
        // Each event parsed once per claim, as on SQLite: its payload can be half a megabyte.
        const payloads = new Map<string, unknown>();
        return rows.map((row) => toClaimedJob(row, payloads));
      });
    },

    ...sqlKeyValueState(sql, dialect),

    async migrate() {
      // The first connection on its own, so that a server not there is said in one line.
      const first = await pool.connect().catch((error: unknown) => {
        throw connectFailure(options.url, error);
      });
      first.release();
      await applyMigrations(pool);
    },

    async warmUp() {
      // Opening a connection costs PostgreSQL a process: the first deliveries after a start would
      // wait for ten of them. (Half of the PostgreSQL store tests' time, when each opened ten.)
      const connections = await Promise.all(Array.from({ length: POOL_SIZE }, () => pool.connect()));
      for (const connection of connections) connection.release();
    },

    async ping() {
      await query('SELECT 1');
    },

    async close() {
      // Whatever is queued is committed (or rejected) before the connections go away.
      await acceptCommit.flush();
      await pool.end();
    },
  };
}

/** `payloads`: the events of this claim parsed so far, by id. */
function toClaimedJob(row: ClaimRow, payloads: Map<string, unknown>): ClaimedJob {
  if (!payloads.has(row.eventId)) payloads.set(row.eventId, JSON.parse(row.eventPayload));
  return {
    ...toJob(row),
    event: {
      id: row.eventId,
      type: row.eventType,
      rawType: row.eventRawType,
      payload: payloads.get(row.eventId),
      receivedAt: row.eventReceivedAt,
    },
  };
}
