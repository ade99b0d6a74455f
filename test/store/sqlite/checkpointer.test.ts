import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { type CheckpointerOptions, startCheckpointer } from '../../../src/store/sqlite/checkpointer.js';
import { eventually } from '../../helpers/eventually.js';

const root = mkdtempSync(join(tmpdir(), 'credo-notify-checkpointer-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** A connection like the store's: WAL, and no checkpoint of its own. */
function writer(path: string) {
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('wal_autocheckpoint = 0');
  db.exec('CREATE TABLE rows (body BLOB NOT NULL)');
  const insert = db.prepare('INSERT INTO rows (body) VALUES (?)');
  const body = Buffer.alloc(3_000, 7);
  return {
    db,
    write: db.transaction((count: number) => Array.from({ length: count }, () => insert.run(body))),
  };
}

const walBytes = (path: string) => statSync(`${path}-wal`).size;
const databaseBytes = (path: string) => statSync(path).size;

/** The thread over `path`, with the test's timings and sizes; should it fail, the test fails. */
function checkpointerFor(path: string, shrunk: Omit<CheckpointerOptions, 'busyTimeoutMs' | 'onFailure'>) {
  return startCheckpointer(path, {
    busyTimeoutMs: 5_000,
    onFailure: (error) => expect.unreachable(error.message),
    ...shrunk,
  });
}

describe('checkpointer', () => {
  it('keeps the log small under writes that never pause, and the rows all reach the database', async () => {
    const path = join(root, 'steady.db');
    const { db, write } = writer(path);
    const checkpointer = checkpointerFor(path, {
      intervalMs: 5,
      // The product's sizes over 32, as restartAfterFrames is (8,192 frames there).
      restartAfterFrames: 256,
      wakeGrowthFrames: 32,
    });
    let largest = 0;
    // 3,000 transactions of 4 rows, about 12 MB a second: 36 MB of log if it never started over.
    for (let n = 0; n < 3_000; n++) {
      write(4);
      largest = Math.max(largest, walBytes(path));
      if (n % 4 === 0) await sleep(1);
    }
    await checkpointer.stop();
    // A third of that leaves room for a slow start of the thread on a busy machine.
    expect(largest).toBeLessThan(12_000_000);
    db.close();
    const reopened = new Database(path, { readonly: true });
    expect(reopened.prepare('SELECT COUNT(*) FROM rows').pluck().get()).toBe(12_000);
    reopened.close();
  });

  it('sleeps once the log is copied back, and wakes for the next write, however long after (issue 17)', async () => {
    const path = join(root, 'idle.db');
    const { db, write } = writer(path);
    const checkpointer = checkpointerFor(path, {
      intervalMs: 5,
    });
    write(10);
    // The thread, with nothing left to copy, stops its timer and watches the log.
    await eventually(() => expect(databaseBytes(path)).toBeGreaterThan(30_000));
    const before = databaseBytes(path);
    write(100);
    await eventually(() => expect(databaseBytes(path)).toBeGreaterThan(before + 300_000));
    await checkpointer.stop();
    db.close();
  });

  it('copies a log that grows fast in its wait without waiting the wait out (issue 17)', async () => {
    const path = join(root, 'burst.db');
    const { db, write } = writer(path);
    // A wait of 15 s (50 intervals), longer than `eventually` tries for; a look every 3 s.
    const checkpointer = checkpointerFor(path, {
      intervalMs: 300,
      wakeGrowthFrames: 16,
    });
    write(10);
    await eventually(() => expect(databaseBytes(path)).toBeGreaterThan(30_000));
    const before = databaseBytes(path);
    // 300 KB, about 75 frames: the first look sees the log grown past the bound, and copies.
    write(100);
    await eventually(() => expect(databaseBytes(path)).toBeGreaterThan(before + 300_000), 10_000);
    await checkpointer.stop();
    db.close();
  });

  it('ends its thread after a quiet spell, and the next write still reaches the database (issue 17)', async () => {
    const path = join(root, 'quiet.db');
    const { db, write } = writer(path);
    const threads = () => Number(readFileSync('/proc/self/status', 'utf8').match(/^Threads:\s+(\d+)/m)?.[1]);
    const checkpointer = checkpointerFor(path, {
      intervalMs: 5,
      lingerMs: 50,
    });
    write(10);
    await eventually(() => expect(databaseBytes(path)).toBeGreaterThan(30_000));
    const withIt = threads();
    // Nothing more written: the thread (and its Node environment) is gone, not waiting.
    await eventually(() => expect(threads()).toBeLessThan(withIt));
    const before = databaseBytes(path);
    write(100);
    await eventually(() => expect(databaseBytes(path)).toBeGreaterThan(before + 300_000));
    await checkpointer.stop();
    db.close();
  });

  it('says so when its thread cannot work, so the store can checkpoint by itself again', async () => {
    const failure = new Promise<Error>((resolve) => {
      startCheckpointer(join(root, 'missing-folder', 'none.db'), { busyTimeoutMs: 100, onFailure: resolve });
    });
    expect((await failure).message).toMatch(/unable to open database file|directory does not exist/);
  });
});
