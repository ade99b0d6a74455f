import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { migrations } from '../../../src/store/sqlite/migrations.js';
import { createSqliteStore } from '../../../src/store/sqlite/sqlite-store.js';
import type { ClaimedJob, Store } from '../../../src/store/store.js';
import { describeStoreContract } from '../contract.js';
import { describeDeliveryLogContract } from '../delivery-log-contract.js';
import { fixtureEvent, routeJob, T0 } from '../store-fixtures.js';

const root = mkdtempSync(join(tmpdir(), 'credo-notify-sqlite-'));
let folders = 0;
/** A path in a folder of its own that does not exist yet. */
const freshPath = () => join(root, `case-${++folders}`, 'store.db');

afterAll(() => rmSync(root, { recursive: true, force: true }));

async function openMigrated(path: string): Promise<Store> {
  const store = createSqliteStore({ path });
  await store.migrate();
  return store;
}

describeStoreContract('sqlite', () => openMigrated(freshPath()));
describeDeliveryLogContract('sqlite', () => openMigrated(freshPath()));

describe('sqlite store', () => {
  const opened: Store[] = [];
  async function open(path: string): Promise<Store> {
    const store = await openMigrated(path);
    opened.push(store);
    return store;
  }
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((store) => store.close()));
  });

  /** Reads the file directly, as an operator with the sqlite3 shell would. */
  function inspect<T>(path: string, read: (db: Database.Database) => T): T {
    const db = new Database(path, { readonly: true });
    try {
      return read(db);
    } finally {
      db.close();
    }
  }
  const rowCount = (path: string, table: string) =>
    inspect(path, (db) => db.prepare(`SELECT COUNT(*) FROM ${table}`).pluck().get());

  it('creates the missing folders of its path', async () => {
    const path = join(root, 'nested', 'deeper', 'store.db');
    await open(path);
    expect(rowCount(path, 'events')).toBe(0);
  });

  it('keeps events, jobs and memory across close and reopen', async () => {
    const path = freshPath();
    const event = fixtureEvent('use_case_review_status_updated.delivered', 'msg_30zZvVW6oyBt1dtsz9qpdjzqG8m');
    const first = await openMigrated(path);
    await first.acceptEvent(event, [routeJob('slack-reviews')]);
    await first.kvSet('thread', 'review:L7BN', '1754632592.000100', null);
    await first.close();

    const reopened = await open(path);
    expect(await reopened.getEvent(event.id)).toEqual(event);
    expect(await reopened.listJobs({ state: 'pending' })).toHaveLength(1);
    expect(await reopened.kvGet('thread', 'review:L7BN', T0)).toBe('1754632592.000100');
    expect(await reopened.acceptEvent(event, [routeJob('slack-reviews')])).toBe('duplicate');
  });

  it('commits deliveries still queued when it is closed', async () => {
    const path = freshPath();
    const store = await openMigrated(path);
    const accepted = store.acceptEvent(fixtureEvent('use_case_review_comment', 'msg_last'), []);
    await store.close();
    expect(await accepted).toBe('accepted');
    expect(await (await open(path)).getEvent('msg_last')).toBeDefined();
  });

  it('migrates once: again, and on reopen, nothing changes', async () => {
    const path = freshPath();
    const store = await open(path);
    await store.acceptEvent(fixtureEvent('use_case_review_comment', 'msg_1'), [routeJob('slack-reviews')]);
    await store.migrate();
    await (await open(path)).migrate();
    expect(inspect(path, (db) => db.pragma('user_version', { simple: true }))).toBe(migrations.length);
    expect(rowCount(path, 'events')).toBe(1);
    expect(rowCount(path, 'jobs')).toBe(1);
  });

  it('refuses a database written by a newer version', async () => {
    const path = freshPath();
    await (await open(path)).close();
    const db = new Database(path);
    db.pragma(`user_version = ${migrations.length + 1}`);
    db.close();
    const store = createSqliteStore({ path });
    opened.push(store);
    await expect(store.migrate()).rejects.toThrow(/newer than this credo-notify knows/);
  });

  it('answers 500 simultaneous deliveries, repeated ids included, storing each id once', async () => {
    const path = freshPath();
    const store = await open(path);
    // Ids 0-99 arrive twice, the copies in the same moment as the originals.
    const ids = Array.from({ length: 500 }, (_, index) => `msg_${index % 400}`);
    const results = await Promise.all(
      ids.map((id, index) =>
        store.acceptEvent(fixtureEvent('use_case_review_comment', id, T0 + index), [
          routeJob('slack-reviews'),
        ]),
      ),
    );
    expect(results.slice(0, 400).every((result) => result === 'accepted')).toBe(true);
    expect(results.slice(400).every((result) => result === 'duplicate')).toBe(true);
    expect(rowCount(path, 'events')).toBe(400);
    expect(rowCount(path, 'jobs')).toBe(400);
    expect(await store.getEvent('msg_42')).toMatchObject({ receivedAt: T0 + 42 });
  });

  it('never lets two instances on one file claim the same job or send to one destination at once', async () => {
    const path = freshPath();
    const [first, second] = [await open(path), await open(path)];
    const destinations = ['slack-a', 'slack-b', 'teams-c', 'teams-d'];
    for (let index = 0; index < 40; index++) {
      await first.acceptEvent(fixtureEvent('use_case_review_comment', `msg_${index}`, T0 + index), [
        routeJob(destinations[index % destinations.length] ?? 'slack-a'),
      ]);
    }
    const claimedIds: number[] = [];
    const sending = new Set<string>();
    const overlaps: string[] = [];

    async function work(store: Store): Promise<void> {
      for (;;) {
        const jobs: ClaimedJob[] = await store.claimJobs({ now: T0 + 1_000, limit: 10, leaseMs: 60_000 });
        for (const job of jobs) {
          if (sending.has(job.destination)) overlaps.push(job.destination);
          sending.add(job.destination);
          claimedIds.push(job.id);
        }
        // Let the other instance claim while these sends are in flight.
        await new Promise((resolve) => setImmediate(resolve));
        for (const job of jobs) {
          sending.delete(job.destination);
          await store.completeJob(job.id);
        }
        const { pending, running } = await store.stats();
        if (pending + running === 0) return;
      }
    }
    await Promise.all([work(first), work(second)]);

    expect(overlaps).toEqual([]);
    expect(claimedIds).toHaveLength(40);
    expect(new Set(claimedIds).size).toBe(40);
    expect(await second.stats()).toEqual({ pending: 0, running: 0, dead: 0, oldestPendingAt: null });
  });

  it('drops memory that expired before the pruning horizon', async () => {
    const path = freshPath();
    const store = await open(path);
    await store.kvSet('identity', 'gone@credo.ai', 'U1', T0 - 1);
    await store.kvSet('identity', 'live@credo.ai', 'U2', T0 + 1);
    await store.kvSet('thread', 'review:x', '1754632592.000100', null);
    await store.prune(T0);
    expect(inspect(path, (db) => db.prepare('SELECT key FROM kv ORDER BY key').pluck().all())).toEqual([
      'live@credo.ai',
      'review:x',
    ]);
  });

  it('reads the job specs earlier versions stored, as they wrote them', async () => {
    const path = freshPath();
    const store = await open(path);
    await store.acceptEvent(fixtureEvent('use_case_review_comment', 'msg_old'), []);
    const db = new Database(path);
    const insert = db.prepare(
      `INSERT INTO jobs (event_id, destination, spec, state, run_at, created_at, updated_at)
       VALUES ('msg_old', ?, ?, 'pending', 0, 0, 0)`,
    );
    // Written by the receiver and the DM planning of 0.1.0, byte for byte.
    insert.run('slack-reviews', '{"kind":"route","route":"reviews","thread":"review"}');
    insert.run(
      'dm:slack:MMC8qELwNoq9V27Y2cvqHf',
      '{"kind":"dm","userId":"MMC8qELwNoq9V27Y2cvqHf","reason":"tagged","platform":"slack"}',
    );
    db.close();

    const claimed = await store.claimJobs({ now: T0, limit: 10, leaseMs: 60_000 });
    expect(claimed.map((job) => job.spec)).toEqual([
      { kind: 'route', route: 'reviews', thread: 'review' },
      { kind: 'dm', platform: 'slack', userId: 'MMC8qELwNoq9V27Y2cvqHf', reason: 'tagged' },
    ]);
  });
});
