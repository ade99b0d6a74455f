import Database from 'better-sqlite3';
import { sqlDeliveryLog } from '../delivery-search.js';
import { createGroupCommit } from '../group-commit.js';
import {
  ACCEPT_BATCH_LIMIT,
  type AcceptItem,
  EVENT_COLUMNS,
  type EventRow,
  JOB_COLUMNS,
  type JobRow,
  toAcceptItem,
  toEvent,
  toJob,
} from '../rows.js';
import type { SqlDialect, SqlRunner } from '../sql.js';
import { sqlEventLog } from '../sql-event-log.js';
import { sqlJobQueue } from '../sql-job-queue.js';
import { sqlKeyValueState } from '../sql-key-value-state.js';
import type { AcceptResult, ClaimedJob, ClaimOptions, NewEvent, NewJob, Store } from '../store.js';
import { type Checkpointer, startCheckpointer } from './checkpointer.js';
import { applyMigrations } from './migrations.js';
import { preparePrivateDatabaseFile } from './private-files.js';
import { createWalSync } from './wal-sync.js';

export interface SqliteStoreOptions {
  /** A file path (its folder is created if missing), or ':memory:' for a private database. */
  path: string;
}

const IN_MEMORY = ':memory:';
/**
 * Events kept parsed for the claims that follow: the jobs of one event are claimed one after
 * another as the worker's slots free up, and reading and parsing a payload of half a megabyte
 * again for each cost 5 to 25 ms of blocked event loop per job (issue 14).
 */
const RECENT_EVENTS = 8;
/** How long a write waits for another process's transaction before it fails as busy. */
const BUSY_TIMEOUT_MS = 5_000;
/** SQLite's own default, for when checkpoints have to go back inline. */
const SQLITE_DEFAULT_AUTOCHECKPOINT_PAGES = 1000;
const dialect: SqlDialect = {
  wallClockMs: "CAST(unixepoch('subsec') * 1000 AS INTEGER)",
  // SQLite's default: memcmp of UTF-8, which is code point order.
  codePointOrder: 'COLLATE BINARY',
};

export function createSqliteStore(options: SqliteStoreOptions): Store {
  const db = openDatabase(options.path);
  const statement = statementCache(db);
  const sql = sqlRunner(statement);

  const recentEvents = createRecentEvents(RECENT_EVENTS);
  const readEvent = (id: string): NewEvent | undefined => {
    const row = statement<EventRow>(`SELECT ${EVENT_COLUMNS} FROM events WHERE id = ?`).get(id);
    return row && toEvent(row);
  };

  const insertItem = (item: AcceptItem): AcceptResult => {
    const inserted = statement(
      `INSERT INTO events (id, type, raw_type, payload, received_at)
       VALUES (@id, @type, @rawType, @payload, @receivedAt) ON CONFLICT (id) DO NOTHING`,
    ).run(item);
    if (inserted.changes === 0) return 'duplicate';
    const insertJob = statement(
      `INSERT INTO jobs (event_id, destination, spec, state, attempts, run_at, created_at, updated_at)
       VALUES (@eventId, @destination, @spec, 'pending', 0, @receivedAt, @receivedAt, ${dialect.wallClockMs})`,
    );
    for (const job of item.jobs) insertJob.run({ ...job, eventId: item.id, receivedAt: item.receivedAt });
    return 'accepted';
  };
  // The whole batch in one transaction; should it fail, the group commit writes each item in a
  // transaction of its own, so that one is rejected alone and the others commit.
  const acceptAll = db.transaction((items: readonly AcceptItem[]) => items.map(insertItem));
  const onDisk = options.path !== IN_MEMORY;
  // An in-memory database has no log to sync or copy back: it is gone with the process anyway.
  const walSync = onDisk ? createWalSync(`${options.path}-wal`) : undefined;
  const checkpointer = onDisk ? checkpointInBackground(db, options.path) : undefined;
  const acceptCommit = createGroupCommit((items: readonly AcceptItem[]) => acceptAll.immediate(items), {
    durable: walSync?.durable,
    batchLimit: ACCEPT_BATCH_LIMIT,
  });

  const claim = db.transaction(({ now, limit, leaseMs }: ClaimOptions): ClaimedJob[] => {
    if (!(Number.isSafeInteger(limit) && limit > 0)) return [];
    // A loose index scan: each step of `destinations` is one index seek to the next destination
    // with pending work, and each head one seek for its oldest due job. A backlog of tens of
    // thousands of jobs costs no more than a few hundred seeks. The LIMIT is written into the
    // text, one statement per limit (at most the worker's concurrency): as a bound parameter it
    // made SQLite's plan cost 150-250 µs more per claim, with an empty queue (11 → 159-260 µs)
    // as with 2,000 jobs waiting (246-298 → 438-539 µs), measured (issue 17).
    const ids = statement<number>(
      `WITH RECURSIVE destinations(name) AS (
         SELECT MIN(destination) FROM jobs WHERE state = 'pending'
         UNION ALL
         SELECT (SELECT MIN(destination) FROM jobs WHERE state = 'pending' AND destination > name)
         FROM destinations WHERE name IS NOT NULL
       ), busy AS (
         SELECT destination FROM jobs WHERE state = 'running' AND lease_until > @now
       ), held AS (
         SELECT destination FROM destination_holds WHERE held_until > @now
       ), heads(id) AS (
         SELECT (SELECT id FROM jobs
                 WHERE state = 'pending' AND destination = name AND run_at <= @now
                 ORDER BY run_at, id LIMIT 1)
         FROM destinations WHERE name IS NOT NULL
         UNION ALL
         SELECT id FROM jobs WHERE state = 'running' AND lease_until <= @now
       ), candidates AS (
         SELECT jobs.id, jobs.run_at,
                ROW_NUMBER() OVER (PARTITION BY jobs.destination ORDER BY jobs.run_at, jobs.id) AS place
         FROM heads JOIN jobs ON jobs.id = heads.id
         WHERE jobs.destination NOT IN busy AND jobs.destination NOT IN held
       )
       SELECT id FROM candidates WHERE place = 1 ORDER BY run_at, id LIMIT ${limit}`,
    )
      .pluck()
      .all({ now });
    const markRunning = statement<JobRow>(
      `UPDATE jobs SET state = 'running', attempts = attempts + 1, lease_until = @leaseUntil,
         updated_at = ${dialect.wallClockMs}
       WHERE id = @id RETURNING ${JOB_COLUMNS}`,
    );
    return ids.map((id) => {
      const job = toJob(markRunning.get({ id, leaseUntil: now + leaseMs }) as JobRow);
      const event = recentEvents.get(job.eventId) ?? readEvent(job.eventId);
      if (!event) throw new Error(`job ${job.id} refers to event ${job.eventId}, which is missing`);
      recentEvents.add(event);
      return { ...job, event };
    });
  });

  const eventLog = sqlEventLog(sql);
  return {
    ...eventLog,
    async prune(before) {
      // A pruned id may come again, as another event.
      recentEvents.clear();
      return eventLog.prune(before);
    },
    ...sqlDeliveryLog(sql),
    async acceptEvent(event: NewEvent, jobs: readonly NewJob[]) {
      return acceptCommit.submit(toAcceptItem(event, jobs));
    },

    ...sqlJobQueue(sql, dialect),
    async claimJobs(claimOptions) {
      return claim.immediate(claimOptions);
    },

    ...sqlKeyValueState(sql, dialect),

    async migrate() {
      applyMigrations(db);
    },

    // One connection, opened with the store.
    async warmUp() {},

    async ping() {
      statement('SELECT 1').get();
    },

    async close() {
      // Whatever is queued is committed (or rejected) before the connection goes away.
      await acceptCommit.flush();
      await walSync?.close();
      await checkpointer?.stop();
      db.close();
    },
  };
}

function openDatabase(path: string): Database.Database {
  if (path !== IN_MEMORY) preparePrivateDatabaseFile(path);
  const db = new Database(path, { timeout: BUSY_TIMEOUT_MS });
  db.pragma('journal_mode = WAL');
  // NORMAL: in WAL mode a commit survives a crash of the process, and a power cut can at worst
  // undo a recent job update, which sends a message again rather than losing one. Accepted
  // events are acknowledged only once the log is synced (see WalSync), so they survive both.
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  // The claim sorts in temporary b-trees: in memory they cost half as much as in temp files.
  db.pragma('temp_store = MEMORY');
  return db;
}

/** Moves checkpoints off this connection (see Checkpointer), and back should the thread fail. */
function checkpointInBackground(db: Database.Database, path: string): Checkpointer {
  db.pragma('wal_autocheckpoint = 0');
  return startCheckpointer(path, {
    busyTimeoutMs: BUSY_TIMEOUT_MS,
    onFailure(error) {
      process.emitWarning(`SQLite checkpoint thread failed, checkpointing inline instead: ${error.message}`);
      if (db.open) db.pragma(`wal_autocheckpoint = ${SQLITE_DEFAULT_AUTOCHECKPOINT_PAGES}`);
    },
  });
}

type StatementCache = ReturnType<typeof statementCache>;

/** Runs the shared statements (sql.ts): their `$1`, `$2`... are parameters named "1", "2"... */
function sqlRunner(statement: StatementCache): SqlRunner {
  const byNumber = (values: unknown[]) => {
    const named: Record<number, unknown> = {};
    values.forEach((value, index) => {
      named[index + 1] = value;
    });
    return named;
  };
  return {
    async rows<Row>(text: string, values: unknown[] = []) {
      return statement<Row>(text).all(byNumber(values));
    },
    async changes(text: string, values: unknown[] = []) {
      return statement(text).run(byNumber(values)).changes;
    },
  };
}

/**
 * Prepares each SQL text once, on first use: the tables exist only after migrate(), and
 * preparing is most of the cost of a small statement.
 */
function statementCache(db: Database.Database) {
  const prepared = new Map<string, Database.Statement>();
  return function statement<Row = unknown>(sql: string): Database.Statement<unknown[], Row> {
    let found = prepared.get(sql);
    if (!found) {
      found = db.prepare(sql);
      prepared.set(sql, found);
    }
    return found as Database.Statement<unknown[], Row>;
  };
}

/**
 * The last `size` events claimed, by id. A stored event never changes, so a kept one is as good
 * as a read until pruning deletes it.
 */
function createRecentEvents(size: number) {
  const events = new Map<string, NewEvent>();
  return {
    get: (id: string) => events.get(id),
    clear: () => events.clear(),
    add(event: NewEvent) {
      events.delete(event.id);
      events.set(event.id, event);
      for (const oldest of events.keys()) {
        if (events.size <= size) break;
        events.delete(oldest);
      }
    },
  };
}
