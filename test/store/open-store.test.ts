import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/open-store.js';
import { fixtureEvent } from './store-fixtures.js';

const root = mkdtempSync(join(tmpdir(), 'credo-notify-open-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** Opens, migrates and uses the store the url names, then closes it. */
async function roundTrip(url: string): Promise<void> {
  const store = openStore(url);
  try {
    await store.migrate();
    const event = fixtureEvent('use_case_review_comment', 'msg_1');
    await store.acceptEvent(event, []);
    expect(await store.getEvent('msg_1')).toEqual(event);
  } finally {
    await store.close();
  }
}

describe('openStore', () => {
  it('opens a private in-memory SQLite database for sqlite::memory:', async () => {
    await roundTrip('sqlite::memory:');
  });

  it('opens a SQLite file at an absolute path, creating its folder', async () => {
    const path = join(root, 'absolute', 'credo-notify.db');
    await roundTrip(`sqlite:${path}`);
    expect(existsSync(path)).toBe(true);
  });

  it('reads a relative SQLite path from the working directory', async () => {
    const path = join(root, 'relative', 'credo-notify.db');
    await roundTrip(`sqlite:./${relative(process.cwd(), path)}`);
    expect(existsSync(path)).toBe(true);
  });

  it('refuses a sqlite url that names no file', () => {
    expect(() => openStore('sqlite:')).toThrow(/names no file/);
  });

  it.each([
    'postgres://notify:s3cret-pw@127.0.0.1:1/notify',
    'postgresql://notify:s3cret-pw@127.0.0.1:1/notify',
  ])(
    'opens PostgreSQL for a postgres url, keeping its password out of a failure to connect (%#)',
    async (url) => {
      const store = openStore(url);
      try {
        const failure = await store.migrate().catch((error: unknown) => error);
        expect(failure).toBeInstanceOf(Error);
        expect((failure as Error).message).toMatch(/ECONNREFUSED/);
        expect((failure as Error).message).not.toMatch(/s3cret/);
      } finally {
        await store.close();
      }
    },
  );

  it('refuses any other kind of url without repeating it', () => {
    expect(() => openStore('mysql://notify:s3cret-pw@db.internal/notify')).toThrow(
      'store url must start with "sqlite:" or "postgres://"',
    );
    expect(() => openStore('mysql://notify:s3cret-pw@db.internal/notify')).not.toThrow(/s3cret/);
  });
});
