import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { NoRoomYetError } from '../../src/notify/no-room-yet.js';
import { openStore } from '../../src/store/open-store.js';
import { createWorker } from '../../src/worker/worker.js';
import { createTestClock } from '../helpers/test-clock.js';
import { fixtureEvent, fixtureNames, routeJob, T0 } from '../store/store-fixtures.js';

/**
 * Issue #11: a Teams bot's replies share its conversation's windows with the worker's posts. A
 * post that finds them full is held until they have room: not a failed attempt, so a busy
 * channel never spends a job's `maxAttempts`.
 */
describe('a send with no room yet', () => {
  it('goes back to the queue until its slot, counts as no attempt, and is sent then', async () => {
    const store = openStore('sqlite::memory:');
    await store.migrate();
    const clock = createTestClock(T0);
    const tries: number[] = [];
    const worker = createWorker({
      store,
      clock,
      log: pino({ level: 'silent' }),
      pacing: () => [],
      // One attempt only: a held send that counted would be dead at once.
      limits: () => ({ maxAttempts: 1, maxAgeMs: 3_600_000 }),
      deliver: async () => {
        tries.push(clock.now());
        if (tries.length === 1) throw new NoRoomYetError('the windows are full', 5_000);
        return {};
      },
    });
    await store.acceptEvent(fixtureEvent(fixtureNames[0] ?? '', 'evt-held', T0), [routeJob('busy-channel')]);
    worker.start();
    const [done] = await clock.advanceUntil(
      async () => {
        const jobs = await store.listJobs({ state: 'done' });
        expect(jobs).toHaveLength(1);
        return jobs;
      },
      { stepMs: 250 },
    );
    await worker.stop();

    expect(tries).toHaveLength(2);
    expect((tries[1] ?? 0) - (tries[0] ?? 0)).toBeGreaterThanOrEqual(5_000);
    expect(done?.attempts).toBe(1);
    expect(await store.listJobs({ state: 'dead' })).toEqual([]);
    await store.close();
  });
});
