import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/open-store.js';
import { createWorker } from '../../src/worker/worker.js';
import { createTestClock } from '../helpers/test-clock.js';
import { fixtureEvent, fixtureNames, routeJob, T0 } from '../store/store-fixtures.js';

const ONE_PER_SECOND = [{ limit: 1, perMs: 1_000 }];

/**
 * Issue #17: a job waiting for its channel's next second must not keep other channels waiting.
 * The bench's mixed load saw sixteen such jobs hold every slot while 22 messages to other
 * channels went one at a time.
 */
describe('jobs waiting on their pace', () => {
  it('leave their slot to another channel, whose message goes at once', async () => {
    const store = openStore('sqlite::memory:');
    await store.migrate();
    const clock = createTestClock(T0);
    const sent: { destination: string; at: number }[] = [];
    const worker = createWorker({
      store,
      clock,
      log: pino({ level: 'silent' }),
      concurrency: 2,
      pacing: () => ONE_PER_SECOND,
      limits: () => ({ maxAttempts: 3, maxAgeMs: 3_600_000 }),
      deliver: (job, paced) =>
        paced(async () => {
          sent.push({ destination: job.destination, at: clock.now() });
          return {};
        }),
    });
    const accept = async (id: string, destination: string) => {
      await store.acceptEvent(fixtureEvent(fixtureNames[0] ?? '', id, clock.now()), [routeJob(destination)]);
      worker.wake();
    };
    const sentTo = (destination: string) => sent.filter((post) => post.destination === destination);
    worker.start();
    await accept('evt-a1', 'channel-a');
    await accept('evt-b1', 'channel-b');
    await clock.advanceUntil(() => expect(sent).toHaveLength(2), { stepMs: 20 });
    const firstSecond = clock.now();

    // Both slots' jobs now wait out their channel's second...
    await accept('evt-a2', 'channel-a');
    await accept('evt-b2', 'channel-b');
    await clock.advanceUntil(async () => expect(await store.listJobs({ state: 'running' })).toHaveLength(2), {
      stepMs: 5,
    });
    // ...and a third channel's message does not wait for them.
    await accept('evt-c1', 'channel-c');
    await clock.advanceUntil(() => expect(sentTo('channel-c')).toHaveLength(1), { stepMs: 20 });
    expect(sentTo('channel-c')[0]?.at).toBeLessThan(firstSecond + 500);
    expect(sentTo('channel-a')).toHaveLength(1);

    await clock.advanceUntil(() => expect(sent).toHaveLength(5), { stepMs: 100 });
    const [a1, a2] = sentTo('channel-a');
    expect((a2?.at ?? 0) - (a1?.at ?? 0)).toBeGreaterThanOrEqual(1_000);
    await worker.stop();
    await store.close();
  });
});
