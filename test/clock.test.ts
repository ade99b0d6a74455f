import { describe, expect, it } from 'vitest';
import { systemClock } from '../src/clock.js';
import { createTestClock } from './helpers/test-clock.js';

describe('systemClock', () => {
  it('sleeps for real, and stops sleeping as soon as its signal aborts', async () => {
    const started = Date.now();
    await systemClock.sleep(30);
    expect(Date.now() - started).toBeGreaterThanOrEqual(25);

    const controller = new AbortController();
    const long = systemClock.sleep(60_000, controller.signal);
    controller.abort();
    await long;
    expect(Date.now() - started).toBeLessThan(10_000);
    await systemClock.sleep(60_000, controller.signal);
  });
});

describe('the test clock', () => {
  it('stands still, and wakes due sleeps in time order as it is moved on', async () => {
    const clock = createTestClock(1_000);
    const woken: string[] = [];
    const sleep = (ms: number, name: string) =>
      clock.sleep(ms).then(() => woken.push(`${name}@${clock.now()}`));
    const all = Promise.all([sleep(300, 'late'), sleep(100, 'early'), sleep(100, 'also early')]);

    await clock.advance(99);
    expect(woken).toEqual([]);
    await clock.advance(300);
    await all;
    expect(woken).toEqual(['early@1100', 'also early@1100', 'late@1300']);
    expect(clock.now()).toBe(1_399);
  });

  it('ends a sleep whose signal aborts without moving time', async () => {
    const clock = createTestClock(0);
    const controller = new AbortController();
    const sleeping = clock.sleep(5_000, controller.signal);
    controller.abort();
    await sleeping;
    expect(clock.now()).toBe(0);
  });
});
