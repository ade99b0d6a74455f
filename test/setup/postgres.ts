import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A PostgreSQL server the tests may create schemas and databases on; undefined: none. */
    postgresUrl: string | undefined;
  }
}

const BIN = '/usr/lib/postgresql/15/bin';
const SUPERUSER = 'postgres';

/**
 * Vitest globalSetup: hands the tests a PostgreSQL server. TEST_DATABASE_URL names one to use;
 * otherwise, where PostgreSQL 15 is installed (as on CI), a throwaway cluster is created in a
 * temporary folder on a free port and removed at the end. Without either, the PostgreSQL tests
 * are skipped, except on CI, where that is an error: CI must prove the PostgreSQL store.
 */
export default async function setup(project: TestProject): Promise<(() => void) | undefined> {
  const given = process.env.TEST_DATABASE_URL;
  if (given) {
    project.provide('postgresUrl', given);
    return undefined;
  }
  if (!postgresInstalled()) {
    if (process.env.CI) throw new Error(`CI needs PostgreSQL 15 in ${BIN}, or TEST_DATABASE_URL`);
    project.provide('postgresUrl', undefined);
    return undefined;
  }
  const cluster = await startThrowawayCluster({ durable: false });
  project.provide('postgresUrl', cluster.url);
  return cluster.stop;
}

/** Whether PostgreSQL 15 is installed, so that a throwaway cluster can be made. */
export function postgresInstalled(): boolean {
  return existsSync(join(BIN, 'initdb'));
}

/**
 * A cluster in a temporary folder on a free port. `durable: false` turns fsync off: a crash of
 * this server loses nothing anyone needs, and tests run faster. The bench keeps it on, as any
 * real server runs, or its figures would not compare with SQLite's synced commits.
 */
export async function startThrowawayCluster(options: {
  durable: boolean;
}): Promise<{ url: string; stop: () => void }> {
  const dir = mkdtempSync(join(tmpdir(), 'credo-notify-pg-'));
  // initdb refuses to run as root: the cluster then belongs to the postgres system user.
  const asRoot = process.getuid?.() === 0;
  if (asRoot) {
    const uid = Number(execFileSync('id', ['-u', SUPERUSER], { encoding: 'utf8' }));
    const gid = Number(execFileSync('id', ['-g', SUPERUSER], { encoding: 'utf8' }));
    chownSync(dir, uid, gid);
  }
  const run = (tool: string, args: string[]) => {
    const path = join(BIN, tool);
    if (asRoot) execFileSync('runuser', ['-u', SUPERUSER, '--', path, ...args], { stdio: 'pipe' });
    else execFileSync(path, args, { stdio: 'pipe' });
  };
  const data = join(dir, 'data');
  const port = await freePort();
  run('initdb', ['-D', data, '-U', SUPERUSER, '-A', 'trust', '--no-sync']);
  const fsync = options.durable ? '' : ' -c fsync=off';
  const settings = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1${fsync} -c max_connections=200`;
  run('pg_ctl', ['-D', data, '-l', join(dir, 'log'), '-w', '-o', settings, 'start']);
  return {
    url: `postgres://${SUPERUSER}@127.0.0.1:${port}/postgres`,
    stop() {
      try {
        run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

/** A port nobody listens on right now, as the OS hands them out. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject()));
    });
  });
}

/** Runs `work` on a connection of its own to `url`, closed after, whatever happens. */
export async function withClient<T>(url: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** Runs one statement as the server's superuser (creating or dropping schemas and databases). */
export async function asAdmin(url: string, sql: string): Promise<void> {
  await withClient(url, (client) => client.query(sql));
}

/** A new, empty database on the server at `adminUrl`, and how to drop it (its connections too). */
export async function createDatabase(
  adminUrl: string,
  name: string,
): Promise<{ url: string; drop: () => Promise<void> }> {
  await asAdmin(adminUrl, `CREATE DATABASE ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () => asAdmin(adminUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
  };
}
