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
  // A timer and a listener rather than timers/promises: its abort is a rejection with a new
  // AbortError (a DOMException and its stack), and the worker's wakes abort an idle wait after
  // most deliveries (issue 17, profiled).
  sleep: (ms, signal) =>
    new Promise<void>((resolve) => {
      if (signal?.aborted) return resolve();
      const done = () => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      signal?.addEventListener('abort', done, { once: true });
    }),
};
