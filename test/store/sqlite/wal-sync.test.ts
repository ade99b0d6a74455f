import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createWalSync } from '../../../src/store/sqlite/wal-sync.js';

const root = mkdtempSync(join(tmpdir(), 'credo-notify-wal-sync-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('WAL sync', () => {
  it('answers every caller once the log is on disk', async () => {
    const log = join(root, 'events.db-wal');
    writeFileSync(log, 'frames');
    const sync = createWalSync(log);
    await expect(Promise.all([sync.durable(), sync.durable(), sync.durable()])).resolves.toHaveLength(3);
    await sync.close();
  });

  it('fails the callers when the log cannot be synced, and tries the file again for the next ones', async () => {
    const log = join(root, 'later.db-wal');
    const sync = createWalSync(log);
    // Not acknowledged: the sender will deliver again.
    await expect(sync.durable()).rejects.toMatchObject({ code: 'ENOENT' });
    writeFileSync(log, 'frames');
    await expect(sync.durable()).resolves.toBeUndefined();
    await sync.close();
  });
});
