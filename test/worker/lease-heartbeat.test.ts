import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/open-store.js';
import { createWorker } from '../../src/worker/worker.js';
import { eventually } from '../helpers/eventually.js';
import { createTestClock } from '../helpers/test-clock.js';
import { fixtureEvent, fixtureNames, routeJob, T0 } from '../store/store-fixtures.js';

const LEASE_MS = 3_000;

/** Issue #12: a live instance renews the leases of what it sends, so a slow send is never taken over. */
describe('the lease heartbeat', () => {
  it('keeps a slow send of a live instance its own for ten leases, and it completes once', async () => {
    const store = openStore('sqlite::memory:');
    await store.migrate();
    const clock = createTestClock(T0);
    let finishSend: () => void = () => {};
    let sends = 0;
    const worker = createWorker({
      store,
      clock,
      log: pino({ level: 'silent' }),
      pacing: () => [],
      limits: () => ({ maxAttempts: 5, maxAgeMs: 3_600_000 }),
      leaseMs: LEASE_MS,
      deliver: () => {
        sends += 1;
        return new Promise((resolve) => {
          finishSend = () => resolve({});
        });
      },
    });
    await store.acceptEvent(fixtureEvent(fixtureNames[0] ?? '', 'evt-slow', T0), [routeJob('slow-channel')]);
    worker.start();
    await clock.advanceUntil(() => expect(sends).toBe(1), { stepMs: 10 });

    await clock.advanceUntil(() => expect(clock.now()).toBeGreaterThanOrEqual(T0 + 10 * LEASE_MS), {
      stepMs: LEASE_MS / 6,
    });
    // Another instance looking now finds the job still held.
    expect(await store.claimJobs({ now: clock.now(), limit: 10, leaseMs: LEASE_MS })).toEqual([]);

    finishSend();
    await eventually(async () => expect((await store.stats()).running).toBe(0));
    await worker.stop();
    expect(sends).toBe(1);
    expect(await store.listJobs({ state: 'done' })).toHaveLength(1);
    await store.close();
  });
});
