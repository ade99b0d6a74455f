import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { migrations } from '../../../src/store/sqlite/migrations.js';
import { createSqliteStore } from '../../../src/store/sqlite/sqlite-store.js';
import type { Store } from '../../../src/store/store.js';
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

describeStoreContract('sqlite', {
  freshUrl: async () => `sqlite:${freshPath()}`,
  async markSchemaNewer(url) {
    const db = new Database(url.slice('sqlite:'.length));
    db.pragma(`user_version = ${migrations.length + 1}`);
    db.close();
  },
});
describeDeliveryLogContract('sqlite', { freshUrl: async () => `sqlite:${freshPath()}` });

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
