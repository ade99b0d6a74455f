import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { openStore } from '../../../src/store/open-store.js';
import { migrations } from '../../../src/store/postgres/migrations.js';
import { CLAIM_SQL, createPostgresStore } from '../../../src/store/postgres/postgres-store.js';
import type { Store } from '../../../src/store/store.js';
import { type FreshSchema, freshSchema, postgresUrl } from '../../setup/fresh-postgres.js';
import { createDatabase, withClient } from '../../setup/postgres.js';
import { describeStoreContract } from '../contract.js';
import { describeDeliveryLogContract } from '../delivery-log-contract.js';
import { fixtureEvent, routeJob, T0 } from '../store-fixtures.js';

const schemas: FreshSchema[] = [];
afterAll(async () => {
  await Promise.all(schemas.splice(0).map((schema) => schema.drop()));
});

/** The url of a new, empty schema, dropped when this file is done. */
async function freshUrl(): Promise<string> {
  const schema = await freshSchema();
  schemas.push(schema);
  return schema.url;
}

/** Reads the schema directly, as an operator with psql would. */
async function inspect<Row extends object>(url: string, sql: string): Promise<Row[]> {
  return withClient(url, async (client) => (await client.query<Row>(sql)).rows);
}

interface PlanNode {
  'Relation Name'?: string;
  'Actual Rows': number;
  'Actual Loops': number;
  'Rows Removed by Filter'?: number;
  Plans?: PlanNode[];
}

/** Rows of `jobs` the claim reads, from its plan as executed (and rolled back). */
async function jobRowsReadByClaim(url: string, values: unknown[]): Promise<number> {
  return withClient(url, async (client) => {
    await client.query('BEGIN');
    const { rows } = await client.query<{ 'QUERY PLAN': [{ Plan: PlanNode }] }>(
      `EXPLAIN (ANALYZE, FORMAT JSON) ${CLAIM_SQL}`,
      values,
    );
    await client.query('ROLLBACK');
    const read = (node: PlanNode): number =>
      (node['Relation Name'] === 'jobs'
        ? (node['Actual Rows'] + (node['Rows Removed by Filter'] ?? 0)) * node['Actual Loops']
        : 0) + (node.Plans ?? []).reduce((sum, child) => sum + read(child), 0);
    return read(rows[0]?.['QUERY PLAN'][0].Plan as PlanNode);
  });
}

/**
 * Deadlocks PostgreSQL has counted in `database`. A server process reports its counts when its
 * connection ends, a moment after the client has let go: look a few times before saying none.
 */
async function deadlocksIn(url: string, database: string): Promise<number> {
  return withClient(url, async (client) => {
    let count = 0;
    for (let look = 0; look < 10 && count === 0; look++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      await client.query('SELECT pg_stat_clear_snapshot()');
      const { rows } = await client.query<{ deadlocks: string }>(
        'SELECT deadlocks FROM pg_stat_database WHERE datname = $1',
        [database],
      );
      count = Number(rows[0]?.deadlocks ?? 0);
    }
    return count;
  });
}

describe.skipIf(!postgresUrl)('postgres', () => {
  describeStoreContract('postgres', {
    freshUrl,
    async markSchemaNewer(url) {
      await inspect(url, `UPDATE credo_notify_schema SET version = ${migrations.length + 1}`);
    },
  });
  describeDeliveryLogContract('postgres', { freshUrl });

  describe('postgres store', () => {
    const opened: Store[] = [];
    /** `count` instances of the store on one schema, as several servers would open it. */
    async function instances(url: string, count: number): Promise<Store[]> {
      const stores = Array.from({ length: count }, () => createPostgresStore({ url }));
      opened.push(...stores);
      await Promise.all(stores.map((store) => store.migrate()));
      return stores;
    }
    afterEach(async () => {
      await Promise.all(opened.splice(0).map((store) => store.close()));
    });

    it('migrates once when several instances start at the same moment', async () => {
      const url = await freshUrl();
      const [first] = await instances(url, 4);
      await first?.acceptEvent(fixtureEvent('use_case_review_comment', 'msg_1'), [routeJob('slack-reviews')]);
      await Promise.all((await instances(url, 2)).map((store) => store.migrate()));
      expect(await inspect(url, 'SELECT version FROM credo_notify_schema')).toEqual([
        { version: migrations.length },
      ]);
      expect(await inspect(url, 'SELECT count(*)::int AS jobs FROM jobs')).toEqual([{ jobs: 1 }]);
    });

    it('accepts each of 500 deliveries once when copies reach two instances at the same moment', async () => {
      const url = await freshUrl();
      const [first, second] = await instances(url, 2);
      if (!first || !second) throw new Error('expected two instances');
      // Ids 0-99 arrive twice, each copy at another instance, all in the same moment.
      const ids = Array.from({ length: 500 }, (_, index) => `msg_${index % 400}`);
      const results = await Promise.all(
        ids.map((id, index) =>
          (index % 2 === 0 ? first : second).acceptEvent(
            fixtureEvent('use_case_review_comment', id, T0 + index),
            [routeJob('slack-reviews'), routeJob('teams-risk')],
          ),
        ),
      );
      expect(results.filter((result) => result === 'accepted')).toHaveLength(400);
      expect(results.filter((result) => result === 'duplicate')).toHaveLength(100);
      expect(
        await inspect(
          url,
          'SELECT (SELECT count(*)::int FROM events) AS events, count(*)::int AS jobs FROM jobs',
        ),
      ).toEqual([{ events: 400, jobs: 800 }]);
    });

    it("takes over a dead instance's job only once its lease has run out, and only once", async () => {
      const url = await freshUrl();
      const [dying, first, second] = await instances(url, 3);
      if (!dying || !first || !second) throw new Error('expected three instances');
      await dying.acceptEvent(fixtureEvent('use_case_review_comment', 'msg_1'), [routeJob('slack-reviews')]);
      const [job] = await dying.claimJobs({ now: T0, limit: 5, leaseMs: 15_000 });
      await dying.close();
      opened.splice(opened.indexOf(dying), 1);

      const claimAt = (store: Store, now: number) => store.claimJobs({ now, limit: 5, leaseMs: 15_000 });
      expect(await claimAt(first, T0 + 14_999)).toEqual([]);
      const takeovers = await Promise.all([claimAt(first, T0 + 15_000), claimAt(second, T0 + 15_000)]);
      expect(takeovers.flat()).toEqual([expect.objectContaining({ id: job?.id, attempts: 2 })]);
    });

    it('accepts the same deliveries arriving at two instances in opposite orders without a deadlock', async () => {
      // A database of its own: PostgreSQL counts deadlocks per database.
      const admin = postgresUrl as string;
      const name = `deadlock_${Date.now()}`;
      const database = await createDatabase(admin, name);
      try {
        const [first, second] = await instances(database.url, 2);
        const ids = Array.from({ length: 50 }, (_, index) => `msg_${index}`);
        const accept = (store: Store | undefined, id: string) =>
          store?.acceptEvent(fixtureEvent('use_case_review_comment', id), [routeJob('slack-reviews')]);
        // Each instance takes its 50 in one batch; a deadlock would cost a second and a retry.
        const results = await Promise.all([
          ...ids.map((id) => accept(first, id)),
          ...[...ids].reverse().map((id) => accept(second, id)),
        ]);
        expect(results.filter((result) => result === 'accepted')).toHaveLength(50);
        await Promise.all(opened.splice(0).map((store) => store.close()));
        expect(await deadlocksIn(admin, name)).toBe(0);
      } finally {
        await database.drop();
      }
    });

    it('claims from a backlog of thousands reading a few rows per destination, not every job', async () => {
      const url = await freshUrl();
      const [store] = await instances(url, 1);
      const destinations = ['slack-a', 'slack-b', 'slack-c', 'teams-d'];
      for (let batch = 0; batch < 40; batch++) {
        await Promise.all(
          Array.from({ length: 100 }, (_, index) => {
            const n = batch * 100 + index;
            return store?.acceptEvent(fixtureEvent('use_case_review_comment', `msg_${n}`, T0 + n), [
              routeJob(destinations[n % destinations.length] ?? 'slack-a'),
            ]);
          }),
        );
      }
      const rowsRead = await jobRowsReadByClaim(url, [T0 + 10_000, 16, T0 + 70_000]);
      // Each destination costs a few index entries; the old plan scanned all 4,000 jobs.
      expect(rowsRead).toBeLessThan(100);
      expect(await store?.claimJobs({ now: T0 + 10_000, limit: 16, leaseMs: 60_000 })).toHaveLength(4);
    });

    it('opens through openStore for a postgres:// url', async () => {
      const store = openStore(await freshUrl());
      opened.push(store);
      await store.migrate();
      const event = fixtureEvent(
        'use_case_review_status_updated.delivered',
        'msg_30zZvVW6oyBt1dtsz9qpdjzqG8m',
      );
      expect(await store.acceptEvent(event, [routeJob('slack-reviews')])).toBe('accepted');
      expect(await store.getEvent(event.id)).toEqual(event);
    });
  });
});
