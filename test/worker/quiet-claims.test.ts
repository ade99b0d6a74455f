import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/open-store.js';
import type { JobQueue } from '../../src/store/store.js';
import { createWorker } from '../../src/worker/worker.js';
import { createTestClock } from '../helpers/test-clock.js';
import { fixtureEvent, fixtureNames, routeJob, T0 } from '../store/store-fixtures.js';

/**
 * Issue #17: at a quiet pace (5 events/s) each message paid two claims or more, each a write
 * transaction: its own, and an empty one when it was sent, or straight after its own. A claim
 * that took fewer jobs than it asked for took all there were, and a slot coming free is only a
 * reason to look (a read), so one claim per message is enough.
 */
describe('a worker at a quiet pace', () => {
  it('claims once per message, and sends each as soon as it is stored', async () => {
    const store = openStore('sqlite::memory:');
    await store.migrate();
    const clock = createTestClock(T0);
    let claims = 0;
    const counted: JobQueue = Object.create(store);
    counted.claimJobs = (options) => {
      claims += 1;
      return store.claimJobs(options);
    };
    const sentAt: number[] = [];
    const worker = createWorker({
      store: counted,
      clock,
      log: pino({ level: 'silent' }),
      pacing: () => [],
      limits: () => ({ maxAttempts: 3, maxAgeMs: 3_600_000 }),
      deliver: async () => {
        sentAt.push(clock.now());
        return {};
      },
    });
    worker.start();
    for (let index = 0; index < 10; index += 1) {
      const storedAt = clock.now();
      await store.acceptEvent(fixtureEvent(fixtureNames[0] ?? '', `evt-${index}`, storedAt), [
        routeJob(`channel-${index % 3}`),
      ]);
      worker.wake();
      await clock.advanceUntil(() => expect(sentAt).toHaveLength(index + 1), { stepMs: 5 });
      expect(sentAt[index]).toBeLessThanOrEqual(storedAt + 50);
      await clock.advance(200);
    }
    // One at the start, for what an earlier run left, then one per message (21 before).
    expect(claims).toBe(1 + 10);
    await worker.stop();
    expect(await store.stats()).toMatchObject({ pending: 0, running: 0 });
    await store.close();
  });
});
