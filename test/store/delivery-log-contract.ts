import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/open-store.js';
import type { DeliveryQuery, Store } from '../../src/store/store.js';
import type { StoreEngine } from './contract.js';
import { fixtureEvent, routeJob, T0 } from './store-fixtures.js';

const claimAt = (now: number) => ({ now, limit: 10, leaseMs: 60_000 });
const ids = async (store: Store, query: Partial<DeliveryQuery>) =>
  (await store.searchDeliveries({ limit: 50, ...query })).map((found) => found.event.id);

/** What the console reads from every Store: events with their jobs, filtered and paged. */
export function describeDeliveryLogContract(name: string, engine: Pick<StoreEngine, 'freshUrl'>): void {
  describe(`${name} delivery log contract`, () => {
    let store: Store;
    beforeEach(async () => {
      store = openStore(await engine.freshUrl());
      await store.migrate();
      // A comment (use case QHG9…, review yzbE…) to two destinations, then a task deletion.
      await store.acceptEvent(fixtureEvent('use_case_review_comment', 'msg_comment', T0), [
        routeJob('slack-reviews'),
        routeJob('teams-risk'),
      ]);
      await store.acceptEvent(fixtureEvent('use_case_custom_field_updated', 'msg_field', T0 + 1_000), [
        routeJob('teams-risk'),
      ]);
      await store.acceptEvent(fixtureEvent('use_case_review_task_deleted', 'msg_task', T0 + 2_000), []);
    });
    afterEach(async () => {
      await store.close();
    });

    it('lists the newest events first, each with its jobs in the order they were made', async () => {
      const found = await store.searchDeliveries({ limit: 10 });
      expect(found.map((item) => item.event.id)).toEqual(['msg_task', 'msg_field', 'msg_comment']);
      expect(found[2]?.jobs.map((job) => [job.destination, job.state, job.posted])).toEqual([
        ['slack-reviews', 'pending', null],
        ['teams-risk', 'pending', null],
      ]);
      expect(found[2]?.event.payload).toMatchObject({ type: 'CredoAI.use_case_review_comment' });
    });

    it('pages by the last event seen, without repeating or skipping one', async () => {
      const first = await store.searchDeliveries({ limit: 2 });
      const last = first.at(-1)?.event;
      if (!last) throw new Error('expected a first page');
      const next = await store.searchDeliveries({
        limit: 2,
        before: { receivedAt: last.receivedAt, id: last.id },
      });
      expect([...first, ...next].map((item) => item.event.id)).toEqual([
        'msg_task',
        'msg_field',
        'msg_comment',
      ]);
    });

    it('filters by type, use case, review, event id, job state and destination', async () => {
      expect(await ids(store, { type: 'use_case_custom_field_updated' })).toEqual(['msg_field']);
      expect(await ids(store, { useCaseId: 'QHG9s995aVztB6Xc3caXyW' })).toContain('msg_comment');
      expect(await ids(store, { reviewId: 'yzbEcKRh3M6xNXYmuTownS' })).toEqual(['msg_comment']);
      expect(await ids(store, { eventId: 'msg_field' })).toEqual(['msg_field']);
      expect(await ids(store, { destination: 'teams-risk' })).toEqual(['msg_field', 'msg_comment']);
      expect(await ids(store, { destination: 'slack-reviews', state: 'done' })).toEqual([]);
      expect(await ids(store, { state: 'pending' })).toEqual(['msg_field', 'msg_comment']);
    });

    it('keeps where a sent message was posted', async () => {
      const [job] = await store.claimJobs(claimAt(T0 + 5_000));
      if (!job) throw new Error('expected a job to claim');
      await store.completeJob(job.id, { messageId: '1700000000.000100', channelId: 'C0REVIEWS' });
      const [found] = await store.searchDeliveries({ limit: 1, eventId: job.eventId, state: 'done' });
      expect(found?.jobs.find((item) => item.id === job.id)).toMatchObject({
        state: 'done',
        posted: { messageId: '1700000000.000100', channelId: 'C0REVIEWS' },
      });
    });

    it('lists the dead letters of one destination', async () => {
      const claimed = await store.claimJobs(claimAt(T0 + 5_000));
      for (const job of claimed) await store.deadLetterJob(job.id, 'CN_TEST: gave up');
      const dead = await store.listJobs({ state: 'dead', destination: 'teams-risk' });
      expect(dead.length).toBeGreaterThan(0);
      expect(dead.every((job) => job.destination === 'teams-risk')).toBe(true);
    });
  });
}
