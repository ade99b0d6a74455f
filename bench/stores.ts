import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { createDatabase, postgresInstalled, startThrowawayCluster } from '../test/setup/postgres.js';

export type StoreKind = 'sqlite' | 'postgres';

/** Where the servers of one bench run keep their data; each server gets an empty store. */
export interface StoreTarget {
  kind: StoreKind;
  /** A `store.url` for an empty store; `dir` is the server's scratch folder. */
  fresh(dir: string): Promise<string>;
  /** Removes what `fresh` created. */
  close(): Promise<void>;
}

export const sqliteTarget: StoreTarget = {
  kind: 'sqlite',
  fresh: async (dir) => `sqlite:${join(dir, 'bench.db')}`,
  close: async () => {},
};

/**
 * The PostgreSQL server named by DATABASE_URL or TEST_DATABASE_URL, else a throwaway one with
 * fsync on, where PostgreSQL 15 is installed, else none.
 */
export async function postgresTarget(): Promise<StoreTarget | undefined> {
  let url = process.env.DATABASE_URL ?? process.env.TEST_DATABASE_URL;
  let stopCluster: (() => void) | undefined;
  if (!url && postgresInstalled()) {
    const cluster = await startThrowawayCluster({ durable: true });
    url = cluster.url;
    stopCluster = cluster.stop;
  }
  if (!url) return undefined;
  const admin = url;
  const created: Array<() => Promise<void>> = [];
  return {
    kind: 'postgres',
    async fresh() {
      // A database per server: nothing a run leaves behind can touch the next.
      const database = await createDatabase(admin, `credo_notify_bench_${randomUUID().replaceAll('-', '')}`);
      created.push(database.drop);
      return database.url;
    },
    async close() {
      for (const drop of created) await drop();
      stopCluster?.();
    },
  };
}
