import { setTimeout as timeout } from 'node:timers/promises';

/**
 * Time as the code sees it: what time it is, and waiting. Everything that waits, paces, retries
 * or leases takes one, so tests move time by hand instead of sleeping (test/helpers/test-clock.ts).
 */
export interface Clock {
  now(): number;
  /** Resolves after `ms`, or as soon as `signal` aborts: a wake or a stop need not wait it out. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  async sleep(ms, signal) {
    try {
      await timeout(ms, undefined, { signal });
    } catch (error) {
      if (!signal?.aborted) throw error;
    }
  },
};
