import { setTimeout as realSleep } from 'node:timers/promises';

/**
 * Polls until `check` passes (or throws its last failure after `timeoutMs` of real time).
 * `betweenTries` runs after each failed try: a pause, or moving a test clock on.
 */
export async function eventually<T>(
  check: () => T | Promise<T>,
  timeoutMs = 10_000,
  betweenTries: () => Promise<unknown> = () => realSleep(25),
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await betweenTries();
    }
  }
}
