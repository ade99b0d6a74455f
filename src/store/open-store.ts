import { createPostgresStore } from './postgres/postgres-store.js';
import { takeOwnership } from './sqlite/owner-lock.js';
import { createSqliteStore } from './sqlite/sqlite-store.js';
import type { Store } from './store.js';

const SQLITE_SCHEME = 'sqlite:';

/** The file (or `:memory:`) a `sqlite:` store url names; undefined for any other store. */
export function sqlitePathOf(url: string): string | undefined {
  return url.startsWith(SQLITE_SCHEME) ? url.slice(SQLITE_SCHEME.length) : undefined;
}
const POSTGRES_URL = /^postgres(ql)?:\/\//;

/**
 * Builds the store a `store.url` names: `sqlite:./relative.db` (relative to the working
 * directory), `sqlite:/absolute.db` or `sqlite::memory:`, or `postgres://user:password@host/db`
 * (libpq's query parameters apply, e.g. `?sslmode=require`). The store still needs `migrate()`.
 */
export function openStore(url: string): Store {
  const path = sqlitePathOf(url);
  if (path !== undefined) {
    if (path === '')
      throw new Error('store url "sqlite:" names no file: write sqlite:./data/credo-notify.db');
    return createSqliteStore({ path });
  }
  if (POSTGRES_URL.test(url)) return createPostgresStore({ url });
  // The URL is not repeated: it may carry a password.
  throw new Error('store url must start with "sqlite:" or "postgres://"');
}

/**
 * The store as `serve` opens it. A SQLite file has one server (owner-lock.ts), which makes it
 * the sole owner of the jobs in it: whatever ran them before is gone. PostgreSQL is shared by
 * instances, whose leases say whose each job is.
 */
export async function openServedStore(
  url: string,
): Promise<{ store: Store; soleOwner: boolean; release: () => void }> {
  const store = openStore(url);
  const path = sqlitePathOf(url);
  if (path === undefined) return { store, soleOwner: false, release: () => {} };
  if (path === ':memory:') return { store, soleOwner: true, release: () => {} };
  try {
    return { store, soleOwner: true, release: takeOwnership(path) };
  } catch (error) {
    await store.close();
    throw error;
  }
}
