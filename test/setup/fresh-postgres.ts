import { randomUUID } from 'node:crypto';
import { inject } from 'vitest';
import { asAdmin } from './postgres.js';

/** The PostgreSQL server of this test run (see postgres.ts), or undefined when there is none. */
export const postgresUrl = inject('postgresUrl');

export interface FreshSchema {
  /** A url whose connections work in the new, empty schema. */
  url: string;
  /** Drops the schema and all in it. */
  drop(): Promise<void>;
}

/**
 * A new empty schema on the test server, so that each test starts from nothing without the
 * cost of a database of its own. Connections reach it through libpq's `options` parameter.
 */
export async function freshSchema(): Promise<FreshSchema> {
  if (!postgresUrl) throw new Error('no PostgreSQL server for this test run');
  const schema = `test_${randomUUID().replaceAll('-', '')}`;
  await asAdmin(postgresUrl, `CREATE SCHEMA ${schema}`);
  const url = new URL(postgresUrl);
  url.searchParams.set('options', `-c search_path=${schema}`);
  return { url: url.toString(), drop: () => asAdmin(postgresUrl, `DROP SCHEMA ${schema} CASCADE`) };
}
