import { resolve } from 'node:path';
import type { Config } from '../config/schema.js';
import { openStore, sqlitePathOf } from '../store/open-store.js';
import type { Store } from '../store/store.js';
import type { Write } from './credo-webhooks.js';
import { loadConfigOrExit } from './load-config.js';

/** What a command that works on the configured store is given. */
export interface StoreContext {
  config: Config;
  store: Store;
  /** The store as people recognise it, without credentials. */
  storeName: string;
  write: Write;
}

/**
 * Opens the configured store, runs one action, closes; a user-facing error goes to stderr,
 * exit 1. Safe while a server runs on the same store.
 */
export async function onStore(
  configPath: string | undefined,
  action: (context: StoreContext) => Promise<void>,
): Promise<void> {
  const { config } = loadConfigOrExit(configPath, { secretMayBeMissing: true });
  let store: Store | undefined;
  try {
    store = openStore(config.store.url);
    await store.migrate();
    await action({
      config,
      store,
      storeName: describeStore(config.store.url),
      write: (text) => process.stdout.write(text),
    });
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  } finally {
    await store?.close();
  }
}

/** `sqlite:` with the resolved path; a PostgreSQL URL without its user and password. */
function describeStore(url: string): string {
  const path = sqlitePathOf(url);
  if (path !== undefined) return `sqlite:${resolve(path)}`;
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}${parsed.pathname}`;
  } catch {
    return 'the configured store';
  }
}
