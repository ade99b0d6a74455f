import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { createGroupCommit } from '../group-commit.js';
import {
  type AcceptItem,
  EVENT_COLUMNS,
  type EventRow,
  JOB_COLUMNS,
  type JobRow,
  toAcceptItem,
  toEvent,
  toJob,
} from '../rows.js';
import type {
  AcceptResult,
  ClaimedJob,
  ClaimOptions,
  NewEvent,
  NewJob,
  QueueStats,
  Store,
  StoredEvent,
} from '../store.js';
import { type Checkpointer, startCheckpointer } from './checkpointer.js';
import { applyMigrations } from './migrations.js';
import { createWalSync } from './wal-sync.js';

export interface SqliteStoreOptions {
  /** A file path (its folder is created if missing), or ':memory:' for a private database. */
  path: string;
}

const IN_MEMORY = ':memory:';
/** How long a write waits for another process's transaction before it fails as busy. */
const BUSY_TIMEOUT_MS = 5_000;
/** SQLite's own default, for when checkpoints have to go back inline. */
const SQLITE_DEFAULT_AUTOCHECKPOINT_PAGES = 1000;
/**
 * updated_at is for people reading the database, not for any decision, so it takes the wall
 * clock here rather than the injected `now` that only some calls carry.
 */
const WALL_CLOCK_MS = "CAST(unixepoch('subsec') * 1000 AS INTEGER)";

export function createSqliteStore(options: SqliteStoreOptions): Store {
  const db = openDatabase(options.path);
  const statement = statementCache(db);

  const readEvent = (id: string): StoredEvent | undefined => {
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
       VALUES (@eventId, @destination, @spec, 'pending', 0, @receivedAt, @receivedAt, ${WALL_CLOCK_MS})`,
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
  });

  const claim = db.transaction(({ now, limit, leaseMs }: ClaimOptions): ClaimedJob[] => {
    // A loose index scan: each step of `destinations` is one index seek to the next destination
    // with pending work, and each head one seek for its oldest due job. A backlog of tens of
    // thousands of jobs costs no more than a few hundred seeks.
    const ids = statement<number>(
      `WITH RECURSIVE destinations(name) AS (
         SELECT MIN(destination) FROM jobs WHERE state = 'pending'
         UNION ALL
         SELECT (SELECT MIN(destination) FROM jobs WHERE state = 'pending' AND destination > name)
         FROM destinations WHERE name IS NOT NULL
       ), busy AS (
         SELECT destination FROM jobs WHERE state = 'running' AND lease_until > @now
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
         WHERE jobs.destination NOT IN busy
       )
       SELECT id FROM candidates WHERE place = 1 ORDER BY run_at, id LIMIT @limit`,
    )
      .pluck()
      .all({ now, limit });
    const markRunning = statement<JobRow>(
      `UPDATE jobs SET state = 'running', attempts = attempts + 1, lease_until = @leaseUntil,
         updated_at = ${WALL_CLOCK_MS}
       WHERE id = @id RETURNING ${JOB_COLUMNS}`,
    );
    return ids.map((id) => {
      const job = toJob(markRunning.get({ id, leaseUntil: now + leaseMs }) as JobRow);
      const event = readEvent(job.eventId);
      if (!event) throw new Error(`job ${job.id} refers to event ${job.eventId}, which is missing`);
      return { ...job, event };
    });
  });

  return {
    async migrate() {
      applyMigrations(db);
    },

    async ping() {
      statement('SELECT 1').get();
    },

    async acceptEvent(event: NewEvent, jobs: readonly NewJob[]) {
      return acceptCommit.submit(toAcceptItem(event, jobs));
    },

    async getEvent(id) {
      return readEvent(id);
    },

    async claimJobs(claimOptions) {
      return claim.immediate(claimOptions);
    },

    async completeJob(id) {
      statement(
        `UPDATE jobs SET state = 'done', lease_until = NULL, updated_at = ${WALL_CLOCK_MS}
         WHERE id = ? AND state = 'running'`,
      ).run(id);
    },

    async retryJob(id, runAt, error, countAttempt = true) {
      statement(
        `UPDATE jobs SET state = 'pending', run_at = @runAt, lease_until = NULL,
           last_error = COALESCE(@error, last_error), attempts = MAX(attempts - @givenBack, 0),
           updated_at = ${WALL_CLOCK_MS}
         WHERE id = @id AND state = 'running'`,
      ).run({ id, runAt, error, givenBack: countAttempt ? 0 : 1 });
    },

    async deadLetterJob(id, reason) {
      statement(
        `UPDATE jobs SET state = 'dead', lease_until = NULL, last_error = @reason,
           updated_at = ${WALL_CLOCK_MS}
         WHERE id = @id AND state = 'running'`,
      ).run({ id, reason });
    },

    async nextRunAt() {
      // Two index lookups rather than one scan of every unfinished job: this runs whenever the
      // worker goes idle, and a backlog can hold tens of thousands of jobs.
      const due = statement<number | null>(`SELECT MIN(run_at) FROM jobs WHERE state = 'pending'`)
        .pluck()
        .get();
      const leaseEnd = statement<number | null>(`SELECT MIN(lease_until) FROM jobs WHERE state = 'running'`)
        .pluck()
        .get();
      const times = [due, leaseEnd].filter((time): time is number => typeof time === 'number');
      return times.length > 0 ? Math.min(...times) : null;
    },

    async listJobs({ state, limit }) {
      return statement<JobRow>(
        `SELECT ${JOB_COLUMNS} FROM jobs WHERE @state IS NULL OR state = @state ORDER BY id LIMIT @limit`,
      )
        .all({ state: state ?? null, limit: limit ?? -1 })
        .map(toJob);
    },

    async getJob(id) {
      const row = statement<JobRow>(`SELECT ${JOB_COLUMNS} FROM jobs WHERE id = ?`).get(id);
      return row && toJob(row);
    },

    async requeueJob(id, now) {
      const requeued = statement(
        `UPDATE jobs SET state = 'pending', attempts = 0, run_at = @now, created_at = @now, lease_until = NULL,
           updated_at = ${WALL_CLOCK_MS}
         WHERE id = @id AND state = 'dead'`,
      ).run({ id, now });
      return requeued.changes > 0;
    },

    async deleteJob(id) {
      return statement('DELETE FROM jobs WHERE id = ?').run(id).changes > 0;
    },

    async stats() {
      // An aggregate always yields one row.
      return statement<QueueStats>(
        `SELECT COUNT(*) FILTER (WHERE state = 'pending') AS pending,
                COUNT(*) FILTER (WHERE state = 'running') AS running,
                COUNT(*) FILTER (WHERE state = 'dead') AS dead,
                (SELECT MIN(events.received_at) FROM jobs JOIN events ON events.id = jobs.event_id
                 WHERE jobs.state IN ('pending', 'running')) AS oldestPendingAt
         FROM jobs WHERE state IN ('pending', 'running', 'dead')`,
      ).get() as QueueStats;
    },

    async prune(before) {
      // The events' done jobs go with them (ON DELETE CASCADE).
      const pruned = statement(
        `DELETE FROM events WHERE received_at < @before AND NOT EXISTS (
           SELECT 1 FROM jobs WHERE jobs.event_id = events.id AND jobs.state <> 'done')`,
      ).run({ before });
      statement('DELETE FROM kv WHERE expires_at < @before').run({ before });
      return pruned.changes;
    },

    async kvGet(namespace, key, now) {
      return statement<string>(
        `SELECT value FROM kv WHERE namespace = ? AND key = ? AND (expires_at IS NULL OR expires_at > ?)`,
      )
        .pluck()
        .get(namespace, key, now);
    },

    async kvSet(namespace, key, value, expiresAt) {
      statement(
        `INSERT INTO kv (namespace, key, value, expires_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (namespace, key) DO UPDATE SET value = excluded.value, expires_at = excluded.expires_at`,
      ).run(namespace, key, value, expiresAt);
    },

    async kvList(namespace, now) {
      return statement<{ key: string; value: string }>(
        `SELECT key, value FROM kv WHERE namespace = ? AND (expires_at IS NULL OR expires_at > ?) ORDER BY key`,
      ).all(namespace, now);
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
  if (path !== IN_MEMORY) mkdirSync(dirname(path), { recursive: true });
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
