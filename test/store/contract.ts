import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/open-store.js';
import type { ClaimedJob, ClaimOptions, JobSpec, NewJob, Store } from '../../src/store/store.js';
import { createPreferenceBook } from '../../src/subscriptions/preferences.js';
import { createSubscriptionBook } from '../../src/subscriptions/subscription-book.js';
import { fixtureEvent, fixtureNames, reviewSpec, routeJob, T0 } from './store-fixtures.js';

const LEASE_MS = 60_000;
const claimAt = (now: number, limit = 10): ClaimOptions => ({ now, limit, leaseMs: LEASE_MS });
const comment = (id: string, receivedAt = T0) => fixtureEvent('use_case_review_comment', id, receivedAt);

/** How the contract reaches one engine's databases. */
export interface StoreEngine {
  /** The store url (for openStore) of a new, empty database. */
  freshUrl(): Promise<string>;
  /** Makes the database at `url` look migrated by a newer credo-notify than this one. */
  markSchemaNewer(url: string): Promise<void>;
}

/**
 * The behaviour every Store must have. Each test gets a fresh, empty, migrated store, closed
 * after it; a test that needs several instances on one database opens them with `instances`.
 */
export function describeStoreContract(name: string, engine: StoreEngine): void {
  describe(`${name} store contract`, () => {
    let store: Store;
    const opened: Store[] = [];
    /** `count` instances of the store on the database at `url`, as several servers would open it. */
    async function instances(url: string, count: number): Promise<Store[]> {
      const stores = Array.from({ length: count }, () => openStore(url));
      opened.push(...stores);
      await Promise.all(stores.map((instance) => instance.migrate()));
      return stores;
    }
    beforeEach(async () => {
      [store] = (await instances(await engine.freshUrl(), 1)) as [Store];
    });
    afterEach(async () => {
      await Promise.all(opened.splice(0).map((instance) => instance.close()));
    });

    /** Accepts one event with one job for `destination` and claims that job at `now`. */
    async function claimOne(destination = 'slack-reviews', now = T0) {
      await store.acceptEvent(comment(`msg_${destination}_${now}`, now), [routeJob(destination)]);
      const [job] = await store.claimJobs(claimAt(now));
      if (!job) throw new Error('expected a job to claim');
      return job;
    }

    describe('accepting deliveries', () => {
      it('stores every real payload exactly as received', async () => {
        for (const name of fixtureNames) {
          const event = fixtureEvent(name, `msg_${name}`);
          expect(await store.acceptEvent(event, [routeJob('slack-reviews')])).toBe('accepted');
          expect(await store.getEvent(event.id)).toEqual(event);
        }
      });

      it('answers duplicate for a second delivery of an id and keeps the first, adding no jobs', async () => {
        const first = comment('msg_1');
        await store.acceptEvent(first, [routeJob('slack-reviews')]);
        const retry = { ...fixtureEvent('use_case_review_task_deleted', 'msg_1'), receivedAt: T0 + 5_000 };
        expect(await store.acceptEvent(retry, [routeJob('slack-reviews'), routeJob('teams-risk')])).toBe(
          'duplicate',
        );
        expect(await store.getEvent('msg_1')).toEqual(first);
        expect(await store.listJobs({})).toHaveLength(1);
      });

      it('accepts one of two copies delivered at the same moment', async () => {
        const results = await Promise.all([
          store.acceptEvent(comment('msg_twice'), [routeJob('slack-reviews')]),
          store.acceptEvent(comment('msg_twice'), [routeJob('slack-reviews')]),
        ]);
        expect(results.sort()).toEqual(['accepted', 'duplicate']);
        expect(await store.listJobs({})).toHaveLength(1);
      });

      it('creates one pending job per destination, due when the event arrived', async () => {
        const dmSpec: JobSpec = {
          kind: 'dm',
          userId: 'MMC8qELwNoq9V27Y2cvqHf',
          reason: 'tagged',
          platform: 'slack',
        };
        await store.acceptEvent(comment('msg_1'), [
          routeJob('slack-reviews'),
          routeJob('slack-dm:U123', dmSpec),
        ]);
        const jobs = await store.listJobs({});
        expect(jobs).toEqual([
          expect.objectContaining({ eventId: 'msg_1', destination: 'slack-reviews', spec: reviewSpec }),
          expect.objectContaining({ eventId: 'msg_1', destination: 'slack-dm:U123', spec: dmSpec }),
        ]);
        for (const job of jobs) {
          expect(job).toMatchObject({
            state: 'pending',
            attempts: 0,
            runAt: T0,
            createdAt: T0,
            lastError: null,
          });
        }
      });

      it('stores an event that no route wants, with no jobs', async () => {
        expect(await store.acceptEvent(comment('msg_quiet'), [])).toBe('accepted');
        expect(await store.getEvent('msg_quiet')).toBeDefined();
        expect(await store.nextRunAt()).toBeNull();
      });

      it('rejects a delivery that cannot be stored, without storing half of it or failing the others', async () => {
        const broken = { destination: null, spec: reviewSpec } as unknown as NewJob;
        const results = await Promise.allSettled([
          store.acceptEvent(comment('msg_before'), [routeJob('slack-reviews')]),
          store.acceptEvent(comment('msg_broken'), [routeJob('slack-reviews'), broken]),
          store.acceptEvent(comment('msg_after'), [routeJob('slack-reviews')]),
        ]);
        expect(results.map((result) => result.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
        expect(await store.getEvent('msg_broken')).toBeUndefined();
        // Concurrent deliveries commit in no particular order (PostgreSQL runs them side by side).
        const stored = (await store.listJobs({})).map((job) => job.eventId);
        expect(stored.sort()).toEqual(['msg_after', 'msg_before']);
      });

      it('stores hostile text from Credo AI users exactly, NUL characters and lone surrogates included', async () => {
        const event = comment('msg_hostile');
        const data = (event.payload as { data: Record<string, unknown> }).data;
        data.comment = 'nul\u0000 tab\t quote" backslash\\ lone\ud800 emoji🛡️ <!channel>';
        expect(await store.acceptEvent(event, [routeJob('slack-reviews')])).toBe('accepted');
        expect(await store.getEvent('msg_hostile')).toEqual(event);
        const [claimed] = await store.claimJobs(claimAt(T0));
        expect(claimed?.event).toEqual(event);
      });

      it('accepts a burst of more rows than one transaction writes, each event whole with its jobs (issue 14)', async () => {
        // 4 events of 300 jobs: past the 500 rows an accept transaction writes, never split.
        const ids = ['msg_a', 'msg_b', 'msg_c', 'msg_d'];
        const jobsOf = (id: string) => Array.from({ length: 300 }, (_, i) => routeJob(`dm:slack:${id}-${i}`));
        const results = await Promise.all(ids.map((id) => store.acceptEvent(comment(id), jobsOf(id))));
        expect(results).toEqual(['accepted', 'accepted', 'accepted', 'accepted']);
        const jobs = await store.listJobs({});
        for (const id of ids) expect(jobs.filter((job) => job.eventId === id)).toHaveLength(300);
      });

      it('does not know an id it was never given', async () => {
        expect(await store.getEvent('msg_never')).toBeUndefined();
      });
    });

    describe('claiming jobs', () => {
      it('hands out a due job with its event, running, on its first attempt', async () => {
        const event = comment('msg_1');
        await store.acceptEvent(event, [routeJob('slack-reviews')]);
        const claimed = await store.claimJobs(claimAt(T0));
        expect(claimed).toEqual([
          expect.objectContaining({ destination: 'slack-reviews', state: 'running', attempts: 1, event }),
        ]);
        expect(await store.getJob(claimed[0]?.id ?? -1)).toMatchObject({ state: 'running', attempts: 1 });
      });

      it('leaves jobs that are not due yet', async () => {
        await store.acceptEvent(comment('msg_1', T0 + 1_000), [routeJob('slack-reviews')]);
        expect(await store.claimJobs(claimAt(T0))).toEqual([]);
        expect(await store.claimJobs(claimAt(T0 + 1_000))).toHaveLength(1);
      });

      it('takes at most one job per destination, the oldest first', async () => {
        for (const [index, id] of ['msg_1', 'msg_2', 'msg_3'].entries()) {
          await store.acceptEvent(comment(id, T0 + index), [
            routeJob('slack-reviews'),
            routeJob('teams-risk'),
          ]);
        }
        const claimed = await store.claimJobs(claimAt(T0 + 10));
        expect(claimed.map((job) => [job.destination, job.eventId])).toEqual([
          ['slack-reviews', 'msg_1'],
          ['teams-risk', 'msg_1'],
        ]);
      });

      it('orders jobs of different destinations by due time and stops at the limit', async () => {
        await store.acceptEvent(comment('msg_late', T0 + 2), [routeJob('c')]);
        await store.acceptEvent(comment('msg_early', T0), [routeJob('b')]);
        await store.acceptEvent(comment('msg_middle', T0 + 1), [routeJob('a')]);
        const claimed = await store.claimJobs(claimAt(T0 + 10, 2));
        expect(claimed.map((job) => job.eventId)).toEqual(['msg_early', 'msg_middle']);
      });

      it('holds back a destination while its job runs, and hands out its next job once that is done', async () => {
        await store.acceptEvent(comment('msg_1'), [routeJob('slack-reviews')]);
        await store.acceptEvent(comment('msg_2', T0 + 1), [
          routeJob('slack-reviews'),
          routeJob('teams-risk'),
        ]);
        const [first, other] = await store.claimJobs(claimAt(T0 + 10));
        expect(first?.eventId).toBe('msg_1');
        expect(other?.destination).toBe('teams-risk');
        expect(await store.claimJobs(claimAt(T0 + 20))).toEqual([]);
        await store.completeJob(first?.id ?? -1);
        const [next] = await store.claimJobs(claimAt(T0 + 30));
        expect(next).toMatchObject({ destination: 'slack-reviews', eventId: 'msg_2' });
      });

      it('never hands out a leased job twice, and takes it over once the lease has run out', async () => {
        const job = await claimOne();
        expect(await store.claimJobs(claimAt(T0 + LEASE_MS - 1))).toEqual([]);
        const [takenOver] = await store.claimJobs(claimAt(T0 + LEASE_MS));
        expect(takenOver).toMatchObject({ id: job.id, state: 'running', attempts: 2 });
      });

      it('hands out nothing when nothing is due', async () => {
        expect(await store.claimJobs(claimAt(T0))).toEqual([]);
      });
    });

    describe('holding a destination (issue #17)', () => {
      it('claims none of a held destination until the hold ends, and other destinations meanwhile', async () => {
        await store.acceptEvent(comment('msg_1'), [routeJob('slack-reviews'), routeJob('teams-risk')]);
        await store.holdDestination('slack-reviews', T0 + 30_000);
        expect((await store.claimJobs(claimAt(T0))).map((job) => job.destination)).toEqual(['teams-risk']);
        expect(await store.claimJobs(claimAt(T0 + 29_999))).toEqual([]);
        const [after] = await store.claimJobs(claimAt(T0 + 30_000));
        expect(after).toMatchObject({ destination: 'slack-reviews', eventId: 'msg_1' });
      });

      it('keeps the later of two holds', async () => {
        await store.acceptEvent(comment('msg_1'), [routeJob('slack-reviews')]);
        await store.holdDestination('slack-reviews', T0 + 30_000);
        await store.holdDestination('slack-reviews', T0 + 5_000);
        expect(await store.claimJobs(claimAt(T0 + 29_999))).toEqual([]);
        await store.holdDestination('slack-reviews', T0 + 60_000);
        expect(await store.claimJobs(claimAt(T0 + 59_999))).toEqual([]);
        expect(await store.claimJobs(claimAt(T0 + 60_000))).toHaveLength(1);
      });

      it('hands out a job given back in its place before the later ones, once the hold ends', async () => {
        await store.acceptEvent(comment('msg_1'), [routeJob('slack-reviews')]);
        await store.acceptEvent(comment('msg_2', T0 + 1), [routeJob('slack-reviews')]);
        const [first] = await store.claimJobs(claimAt(T0 + 10));
        await store.holdDestination('slack-reviews', T0 + 5_000);
        await store.retryJob(first?.id ?? -1, first?.runAt ?? -1, 'slack answered 503');
        expect(await store.claimJobs(claimAt(T0 + 4_999))).toEqual([]);
        const [again] = await store.claimJobs(claimAt(T0 + 5_000));
        expect(again).toMatchObject({ id: first?.id, eventId: 'msg_1', attempts: 2 });
      });

      it('is seen by every instance on the database', async () => {
        const url = await engine.freshUrl();
        const [one, two] = (await instances(url, 2)) as [Store, Store];
        await one.acceptEvent(comment('msg_1'), [routeJob('slack-reviews')]);
        await one.holdDestination('slack-reviews', T0 + 1_000);
        expect(await two.claimJobs(claimAt(T0))).toEqual([]);
        expect(await two.claimJobs(claimAt(T0 + 1_000))).toHaveLength(1);
      });
    });

    describe('after a send', () => {
      it('never hands out a completed job again', async () => {
        const job = await claimOne();
        await store.completeJob(job.id);
        expect(await store.getJob(job.id)).toMatchObject({ state: 'done', attempts: 1 });
        expect(await store.claimJobs(claimAt(T0 + 10 * LEASE_MS))).toEqual([]);
      });

      it('retries a failed job at the time asked, with the error and the attempt counted', async () => {
        const job = await claimOne();
        await store.retryJob(job.id, T0 + 30_000, 'slack answered 503');
        expect(await store.getJob(job.id)).toMatchObject({
          state: 'pending',
          runAt: T0 + 30_000,
          attempts: 1,
          lastError: 'slack answered 503',
        });
        expect(await store.claimJobs(claimAt(T0 + 29_999))).toEqual([]);
        const [again] = await store.claimJobs(claimAt(T0 + 30_000));
        expect(again).toMatchObject({ id: job.id, attempts: 2 });
      });

      it('gives the attempt back when a job is only paced, keeping the last real error', async () => {
        const job = await claimOne();
        await store.retryJob(job.id, T0 + 1_000, 'slack answered 503');
        await store.claimJobs(claimAt(T0 + 1_000));
        await store.retryJob(job.id, T0 + 2_000, null, false);
        expect(await store.getJob(job.id)).toMatchObject({
          state: 'pending',
          runAt: T0 + 2_000,
          attempts: 1,
          lastError: 'slack answered 503',
        });
      });

      it('dead-letters a job with its reason: listed as dead and never handed out', async () => {
        const job = await claimOne();
        await store.deadLetterJob(job.id, 'channel_not_found');
        expect(await store.getJob(job.id)).toMatchObject({ state: 'dead', lastError: 'channel_not_found' });
        expect((await store.listJobs({ state: 'dead' })).map((dead) => dead.id)).toEqual([job.id]);
        expect(await store.claimJobs(claimAt(T0 + 10 * LEASE_MS))).toEqual([]);
      });

      it('ignores a late answer about a job that is no longer running', async () => {
        const done = await claimOne('slack-reviews');
        await store.completeJob(done.id);
        await store.retryJob(done.id, T0, 'timeout');
        await store.deadLetterJob(done.id, 'timeout');
        expect(await store.getJob(done.id)).toMatchObject({ state: 'done', lastError: null });

        const dead = await claimOne('teams-risk');
        await store.deadLetterJob(dead.id, 'bad auth');
        await store.completeJob(dead.id);
        await store.retryJob(dead.id, T0, 'timeout');
        expect(await store.getJob(dead.id)).toMatchObject({ state: 'dead', lastError: 'bad auth' });
      });

      it('requeues a dead job: due at once, with a fresh attempt count and a fresh start for the age limit', async () => {
        const job = await claimOne();
        await store.deadLetterJob(job.id, 'invalid_blocks');
        expect(await store.requeueJob(job.id, T0 + 5_000)).toBe(true);
        expect(await store.getJob(job.id)).toMatchObject({
          state: 'pending',
          attempts: 0,
          runAt: T0 + 5_000,
          createdAt: T0 + 5_000,
        });
        const [again] = await store.claimJobs(claimAt(T0 + 5_000));
        expect(again).toMatchObject({ id: job.id, attempts: 1 });
      });

      it('requeues only dead jobs', async () => {
        const job = await claimOne();
        expect(await store.requeueJob(job.id, T0)).toBe(false);
        expect(await store.requeueJob(999_999, T0)).toBe(false);
        expect(await store.getJob(job.id)).toMatchObject({ state: 'running' });
      });

      it('deletes a job on request', async () => {
        const job = await claimOne();
        await store.deadLetterJob(job.id, 'invalid_blocks');
        expect(await store.deleteJob(job.id)).toBe(true);
        expect(await store.getJob(job.id)).toBeUndefined();
        expect(await store.deleteJob(job.id)).toBe(false);
      });
    });

    describe('looking at the queue', () => {
      it('tells when the next job is due, counting a running job at the end of its lease', async () => {
        expect(await store.nextRunAt()).toBeNull();
        await store.acceptEvent(comment('msg_2', T0 + 500), [routeJob('teams-risk')]);
        await store.acceptEvent(comment('msg_1', T0), [routeJob('slack-reviews')]);
        expect(await store.nextRunAt()).toBe(T0);
        const [job] = await store.claimJobs(claimAt(T0, 1));
        expect(await store.nextRunAt()).toBe(T0 + 500);
        const [second] = await store.claimJobs(claimAt(T0 + 500));
        expect(await store.nextRunAt()).toBe(T0 + LEASE_MS);
        await store.completeJob(job?.id ?? -1);
        await store.completeJob(second?.id ?? -1);
        expect(await store.nextRunAt()).toBeNull();
      });

      it('lists jobs by id, filtered by state and limited', async () => {
        for (const id of ['msg_1', 'msg_2', 'msg_3']) {
          await store.acceptEvent(comment(id), [routeJob(`slack-${id}`)]);
        }
        const [first] = await store.claimJobs(claimAt(T0, 1));
        const all = await store.listJobs({});
        expect(all.map((job) => job.eventId)).toEqual(['msg_1', 'msg_2', 'msg_3']);
        expect((await store.listJobs({ state: 'running' })).map((job) => job.id)).toEqual([first?.id]);
        expect((await store.listJobs({ state: 'pending', limit: 1 })).map((job) => job.eventId)).toEqual([
          'msg_2',
        ]);
        expect(await store.getJob(999_999)).toBeUndefined();
      });

      it('counts jobs by state and tells when the oldest unfinished job arrived', async () => {
        expect(await store.stats()).toEqual({ pending: 0, running: 0, dead: 0, oldestPendingAt: null });
        await store.acceptEvent(comment('msg_1', T0), [routeJob('a'), routeJob('b')]);
        await store.acceptEvent(comment('msg_2', T0 + 100), [routeJob('a'), routeJob('c')]);
        const claimed = await store.claimJobs(claimAt(T0 + 100));
        const [a, b, c] = claimed;
        await store.deadLetterJob(a?.id ?? -1, 'bad channel');
        await store.completeJob(b?.id ?? -1);
        expect(await store.stats()).toEqual({ pending: 1, running: 1, dead: 1, oldestPendingAt: T0 + 100 });
        await store.completeJob(c?.id ?? -1);
        const [last] = await store.claimJobs(claimAt(T0 + 200));
        await store.completeJob(last?.id ?? -1);
        expect(await store.stats()).toEqual({ pending: 0, running: 0, dead: 1, oldestPendingAt: null });
      });
    });

    describe('pruning', () => {
      it('forgets old finished events and their jobs, keeping unfinished, dead-lettered and recent ones', async () => {
        const old = T0 - 10_000;
        await store.acceptEvent(comment('msg_done', old), [routeJob('a')]);
        await store.acceptEvent(comment('msg_quiet', old), []);
        await store.acceptEvent(comment('msg_dead', old), [routeJob('b')]);
        await store.acceptEvent(comment('msg_running', old), [routeJob('c')]);
        await store.acceptEvent(comment('msg_pending', old + 1), [routeJob('a')]);
        await store.acceptEvent(comment('msg_recent', T0), []);
        const [done, dead] = await store.claimJobs(claimAt(old + 1));
        await store.completeJob(done?.id ?? -1);
        await store.deadLetterJob(dead?.id ?? -1, 'bad auth');

        expect(await store.prune(T0)).toBe(2);
        expect(await store.getEvent('msg_done')).toBeUndefined();
        expect(await store.getEvent('msg_quiet')).toBeUndefined();
        expect(await store.getJob(done?.id ?? -1)).toBeUndefined();
        for (const kept of ['msg_dead', 'msg_running', 'msg_pending', 'msg_recent']) {
          expect(await store.getEvent(kept)).toBeDefined();
        }
        expect((await store.listJobs({})).map((job) => job.eventId)).toEqual([
          'msg_dead',
          'msg_running',
          'msg_pending',
        ]);
        expect(await store.prune(T0)).toBe(0);
      });
    });

    describe('keyed memory', () => {
      it('remembers a value per namespace and key, the latest write winning', async () => {
        await store.kvSet('thread', 'review:pu7B', '1754632592.000100', null);
        await store.kvSet('thread', 'review:pu7B', '1754632592.000200', null);
        await store.kvSet('identity', 'review:pu7B', 'U123', null);
        expect(await store.kvGet('thread', 'review:pu7B', T0)).toBe('1754632592.000200');
        expect(await store.kvGet('identity', 'review:pu7B', T0)).toBe('U123');
        expect(await store.kvGet('thread', 'review:other', T0)).toBeUndefined();
      });

      it('forgets a value once it expires, and keeps one without expiry for good', async () => {
        await store.kvSet('identity', 'steven@credo.ai', 'U123', T0 + 1_000);
        await store.kvSet('identity', 'nick@credo.ai', 'U456', null);
        expect(await store.kvGet('identity', 'steven@credo.ai', T0 + 999)).toBe('U123');
        expect(await store.kvGet('identity', 'steven@credo.ai', T0 + 1_000)).toBeUndefined();
        expect(await store.kvGet('identity', 'nick@credo.ai', Number.MAX_SAFE_INTEGER)).toBe('U456');
        await store.kvSet('identity', 'steven@credo.ai', 'U789', T0 + 5_000);
        expect(await store.kvGet('identity', 'steven@credo.ai', T0 + 1_000)).toBe('U789');
      });

      it('lists the live entries of one namespace by key', async () => {
        await store.kvSet('teams', 'b', '{"conversation":"b"}', null);
        await store.kvSet('teams', 'a', '{"conversation":"a"}', T0 + 10);
        await store.kvSet('teams', 'gone', '{}', T0);
        await store.kvSet('thread', 'x', 'y', null);
        expect(await store.kvList('teams', T0)).toEqual([
          { key: 'a', value: '{"conversation":"a"}' },
          { key: 'b', value: '{"conversation":"b"}' },
        ]);
        expect(await store.kvList('nothing', T0)).toEqual([]);
      });
    });

    describe('chat subscriptions and preferences (issue 13)', () => {
      const ANN = { id: 'U0ANN', email: 'Ann.Lee@acme.com', name: 'Ann Lee' };
      const reviews = {
        platform: 'slack' as const,
        conversationId: 'C0GOV',
        useCase: 'UC_X',
        useCaseName: 'Fraud Detection Model',
        events: ['use_case_review_status_updated' as const],
        by: ANN,
        at: T0,
      };

      it('keeps a subscription with who made it and when, read alike by another instance', async () => {
        const [other] = (await instances(await engine.freshUrl(), 2)) as [Store, Store];
        const mine = createSubscriptionBook(store, () => T0);
        await mine.put(reviews);
        await mine.put({
          ...reviews,
          platform: 'teams',
          conversationId: '19:risk@thread.tacv2;x',
          useCase: '*',
        });
        expect(await createSubscriptionBook(store, () => T0 + 1).list()).toHaveLength(2);
        // A store of its own knows none of them.
        expect(await createSubscriptionBook(other, () => T0).list()).toEqual([]);
        const key = { platform: 'slack' as const, conversationId: 'C0GOV', useCase: 'UC_X' };
        expect(await mine.get(key)).toEqual(reviews);
      });

      it('is read from a second instance on the same database, and removed for both', async () => {
        const url = await engine.freshUrl();
        const [one, two] = (await instances(url, 2)) as [Store, Store];
        const first = createSubscriptionBook(one, () => T0);
        const second = createSubscriptionBook(two, () => T0 + 1_000);
        await first.put(reviews);
        expect(await second.list()).toEqual([reviews]);
        const key = { platform: 'slack' as const, conversationId: 'C0GOV', useCase: 'UC_X' };
        expect(await second.remove(key, T0 + 1_000)).toBe(true);
        expect(await second.remove(key, T0 + 1_000)).toBe(false);
        expect(await first.list()).toEqual([]);
        expect(await first.get(key)).toBeUndefined();
      });

      it('keeps a person preferences by chat id and by email, the latest word winning', async () => {
        const preferences = createPreferenceBook(store, () => T0);
        const quiet = { from: '19:00', to: '08:00', timezone: 'Europe/Berlin' };
        await preferences.put({
          platform: 'slack',
          chatUserId: 'U0ANN',
          email: ANN.email,
          dm: 'off',
          quiet,
          by: ANN,
          at: T0,
        });
        expect(await preferences.latestOf({ platform: 'slack', chatUserId: 'U0ANN' })).toEqual({
          dm: 'off',
          quiet,
        });
        expect(await preferences.latestOf({ platform: 'teams', chatUserId: 'U0ANN' })).toBeUndefined();
        // Her Teams DMs are off too: Teams knows her by the same email, in any case.
        expect(
          await preferences.latestOf({ platform: 'teams', chatUserId: 'aad-ann', email: 'ann.lee@ACME.com' }),
        ).toEqual({ dm: 'off', quiet });
        expect(
          await preferences.latestOf({ platform: 'teams', chatUserId: 'aad-bob', email: 'bob@acme.com' }),
        ).toBeUndefined();
        const teamsAnn = { id: 'aad-ann', email: ANN.email };
        await preferences.put({
          platform: 'teams',
          chatUserId: 'aad-ann',
          email: ANN.email,
          dm: 'on',
          by: teamsAnn,
          at: T0 + 1,
        });
        expect(
          await preferences.latestOf({ platform: 'slack', chatUserId: 'U0ANN', email: ANN.email }),
        ).toEqual({
          dm: 'on',
        });
      });
    });

    describe('upkeep', () => {
      it('answers a ping and migrates again without harm', async () => {
        await store.acceptEvent(comment('msg_1'), [routeJob('slack-reviews')]);
        await store.ping();
        await store.migrate();
        expect(await store.getEvent('msg_1')).toBeDefined();
        expect(await store.listJobs({})).toHaveLength(1);
      });

      it('refuses a database written by a newer version', async () => {
        const url = await engine.freshUrl();
        const written = openStore(url);
        await written.migrate();
        await written.close();
        await engine.markSchemaNewer(url);
        const reopened = openStore(url);
        opened.push(reopened);
        await expect(reopened.migrate()).rejects.toThrow(/newer than this credo-notify knows/);
      });
    });

    describe('digests (issue 18)', () => {
      /** Accepts `count` events with a job each for `destination`, claims each at once and holds it. */
      async function holdEvents(
        count: number,
        heldFor: string,
        destination = 'slack-reviews',
        dueAt = T0 + 60_000,
      ) {
        const ids: number[] = [];
        for (let i = 0; i < count; i += 1) {
          await store.acceptEvent(comment(`msg_${heldFor}_${destination}_${i}`, T0 + i), [
            routeJob(destination),
          ]);
          const [job] = await store.claimJobs(claimAt(T0 + i));
          if (!job) throw new Error('expected a job to claim');
          await store.holdJob(job.id, dueAt, heldFor);
          ids.push(job.id);
        }
        return ids;
      }

      it('keeps a held job pending until its time, marked with its key and its attempt given back', async () => {
        const [id] = await holdEvents(1, 'useCase:UC1');
        expect(await store.claimJobs(claimAt(T0 + 59_999))).toEqual([]);
        const [due] = await store.claimJobs(claimAt(T0 + 60_000));
        expect(due).toMatchObject({ id, heldFor: 'useCase:UC1', attempts: 1 });
      });

      it('gathers every job held for the key into the first claimed, once, and leaves other keys alone', async () => {
        const ids = await holdEvents(3, 'useCase:UC1');
        const [other] = await holdEvents(1, 'useCase:UC2');
        const [leader] = await store.claimJobs(claimAt(T0 + 60_000));
        expect(leader?.id).toBe(ids[0]);
        const gathered = await store.gatherDigest(leader?.id ?? 0);
        expect(gathered.map((job) => job.id)).toEqual(ids);
        expect(gathered.map((job) => job.event.id)).toEqual(
          [0, 1, 2].map((i) => `msg_useCase:UC1_slack-reviews_${i}`),
        );
        // The gathered jobs are done: nobody claims them again; the other key's job is next.
        await store.completeJob(leader?.id ?? 0);
        const next = await store.claimJobs(claimAt(T0 + 60_000));
        expect(next.map((job) => job.id)).toEqual([other]);
      });

      it('gathers the same jobs again after the digest was taken over, and none into another digest', async () => {
        const ids = await holdEvents(3, 'useCase:UC1');
        const [leader] = await store.claimJobs(claimAt(T0 + 60_000));
        await store.gatherDigest(leader?.id ?? 0);
        // The instance died: its lease ran out, another takes the digest over.
        const [takenOver] = await store.claimJobs(claimAt(T0 + 60_000 + LEASE_MS));
        expect(takenOver?.id).toBe(leader?.id);
        expect((await store.gatherDigest(takenOver?.id ?? 0)).map((job) => job.id)).toEqual(ids);
      });

      it('takes in nothing more once it has gathered: a retry sends the set its first try did', async () => {
        const ids = await holdEvents(2, 'useCase:UC1');
        const [leader] = await store.claimJobs(claimAt(T0 + 60_000));
        await store.gatherDigest(leader?.id ?? 0);
        await store.retryJob(leader?.id ?? 0, T0 + 70_000, 'CN_SLACK_UNAVAILABLE: 503');
        // Held meanwhile, for the next window.
        await store.acceptEvent(comment('msg_later', T0 + 65_000), [routeJob('slack-reviews')]);
        const [later] = await store.claimJobs(claimAt(T0 + 65_000));
        await store.holdJob(later?.id ?? 0, T0 + 180_000, 'useCase:UC1');
        const [retried] = await store.claimJobs(claimAt(T0 + 70_000));
        expect(retried?.id).toBe(leader?.id);
        expect((await store.gatherDigest(retried?.id ?? 0)).map((job) => job.id)).toEqual(ids);
        expect((await store.getJob(later?.id ?? 0))?.state).toBe('pending');
      });

      it('gathers nothing for a job that is not held, nor for one not running', async () => {
        const job = await claimOne();
        expect((await store.gatherDigest(job.id)).map((j) => j.id)).toEqual([job.id]);
        const [held] = await holdEvents(2, 'quiet', 'dm:slack:U1');
        expect(await store.gatherDigest(held ?? 0)).toHaveLength(1);
        expect((await store.listJobs({ state: 'pending', destination: 'dm:slack:U1' })).length).toBe(2);
      });

      it('keeps the events of a dead digest through pruning, so a requeue still sends them', async () => {
        const ids = await holdEvents(2, 'useCase:UC1');
        const [leader] = await store.claimJobs(claimAt(T0 + 60_000));
        await store.gatherDigest(leader?.id ?? 0);
        await store.deadLetterJob(leader?.id ?? 0, 'CN_TEST: gave up');
        expect(await store.prune(T0 + 10 * 86_400_000)).toBe(0);
        await store.requeueJob(leader?.id ?? 0, T0 + 70_000);
        const [again] = await store.claimJobs(claimAt(T0 + 70_000));
        expect((await store.gatherDigest(again?.id ?? 0)).map((job) => job.id)).toEqual(ids);
        await store.completeJob(again?.id ?? 0);
        expect(await store.prune(T0 + 10 * 86_400_000)).toBe(2);
      });
    });

    describe('several instances on one database', () => {
      it('never lets instances claim one job twice or send to one destination at once', async () => {
        const stores = await instances(await engine.freshUrl(), 4);
        const destinations = ['slack-a', 'slack-b', 'slack-c', 'teams-d', 'teams-e', 'teams-f'];
        await Promise.all(
          Array.from({ length: 120 }, (_, index) =>
            stores[0]?.acceptEvent(comment(`msg_${index}`, T0 + index), [
              routeJob(destinations[index % destinations.length] ?? 'slack-a'),
            ]),
          ),
        );
        const claimedIds: number[] = [];
        const sending = new Set<string>();
        const overlaps: string[] = [];
        const orderPerDestination = new Map<string, number[]>();

        async function work(instance: Store): Promise<void> {
          for (;;) {
            const jobs: ClaimedJob[] = await instance.claimJobs({
              now: T0 + 1_000,
              limit: 3,
              leaseMs: 60_000,
            });
            for (const job of jobs) {
              if (sending.has(job.destination)) overlaps.push(job.destination);
              sending.add(job.destination);
              claimedIds.push(job.id);
              orderPerDestination.set(job.destination, [
                ...(orderPerDestination.get(job.destination) ?? []),
                job.runAt,
              ]);
            }
            // A real round trip and a turn of the event loop, so the other instances claim
            // while these sends are in flight.
            await instance.ping();
            await new Promise((resolve) => setImmediate(resolve));
            for (const job of jobs) {
              sending.delete(job.destination);
              await instance.completeJob(job.id);
            }
            const { pending, running } = await instance.stats();
            if (pending + running === 0) return;
          }
        }
        await Promise.all(stores.map(work));

        expect(overlaps).toEqual([]);
        expect(claimedIds).toHaveLength(120);
        expect(new Set(claimedIds).size).toBe(120);
        // Each destination hears its events in the order they arrived.
        for (const arrivals of orderPerDestination.values()) {
          expect(arrivals).toEqual([...arrivals].sort((a, b) => a - b));
        }
        expect(await stores[1]?.stats()).toEqual({ pending: 0, running: 0, dead: 0, oldestPendingAt: null });
      });
    });
  });
}
