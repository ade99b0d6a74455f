import { setImmediate as nextTurn, setTimeout as realSleep } from 'node:timers/promises';
import type { Clock } from '../../src/clock.js';
import { eventually } from './eventually.js';

/** A clock that stands still until the test moves it. */
export interface TestClock extends Clock {
  /**
   * Moves time on by `ms`, waking the sleeps that fall due on the way, earliest first, each at
   * its own time and given a turn of the event loop before the next.
   */
  advance(ms: number): Promise<void>;
  /**
   * Moves time on `stepMs` at a time until `check` passes, letting real I/O (HTTP to a fake, the
   * store) happen between steps; throws `check`'s last failure after `timeoutMs` of real time.
   * For waits whose length the code decides (a backoff, a pace, a lease): the test need not know it.
   */
  advanceUntil<T>(check: () => T | Promise<T>, options: { stepMs: number; timeoutMs?: number }): Promise<T>;
}

interface Sleeper {
  at: number;
  wake(): void;
}

/** Starts at `start` (now, by default, so signed deliveries stay within their tolerance). */
export function createTestClock(start = Date.now()): TestClock {
  let time = start;
  /** Earliest first; equal times in the order they were asked for. */
  const sleepers: Sleeper[] = [];

  const sleep = (ms: number, signal?: AbortSignal) =>
    new Promise<void>((resolve) => {
      if (ms <= 0 || signal?.aborted) return resolve();
      const sleeper: Sleeper = {
        at: time + ms,
        wake() {
          const index = sleepers.indexOf(sleeper);
          if (index >= 0) sleepers.splice(index, 1);
          signal?.removeEventListener('abort', sleeper.wake);
          resolve();
        },
      };
      const later = sleepers.findIndex((other) => other.at > sleeper.at);
      sleepers.splice(later < 0 ? sleepers.length : later, 0, sleeper);
      signal?.addEventListener('abort', sleeper.wake, { once: true });
    });

  const advance = async (ms: number) => {
    const until = time + ms;
    for (let next = sleepers[0]; next && next.at <= until; next = sleepers[0]) {
      time = next.at;
      next.wake();
      await nextTurn();
    }
    time = until;
  };

  return {
    now: () => time,
    sleep,
    advance,
    advanceUntil: (check, { stepMs, timeoutMs }) =>
      eventually(check, timeoutMs, async () => {
        await advance(stepMs);
        // Time for the I/O the step set off: a claim, a post to a fake.
        await realSleep(5);
      }),
  };
}
