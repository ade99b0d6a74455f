import { createSqliteStore } from './sqlite/sqlite-store.js';
import type { Store } from './store.js';

const SQLITE_SCHEME = 'sqlite:';
const POSTGRES_URL = /^postgres(ql)?:\/\//;

/**
 * Builds the store a `store.url` names: `sqlite:./relative.db` (relative to the working
 * directory), `sqlite:/absolute.db` or `sqlite::memory:`. The store still needs `migrate()`.
 */
export function openStore(url: string): Store {
  if (url.startsWith(SQLITE_SCHEME)) {
    const path = url.slice(SQLITE_SCHEME.length);
    if (path === '')
      throw new Error('store url "sqlite:" names no file: write sqlite:./data/credo-notify.db');
    return createSqliteStore({ path });
  }
  if (POSTGRES_URL.test(url)) {
    // The URL is not repeated: it usually carries a password.
    throw new Error('PostgreSQL support is not built yet: use a sqlite: store url for now');
  }
  throw new Error('store url must start with "sqlite:" or "postgres://"');
}
