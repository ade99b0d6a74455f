import { z } from 'zod';
import type { Timing } from '../runtime.js';

/**
 * FOR TESTS ONLY: `CREDO_NOTIFY_TEST_TIMING`, JSON such as `{"leaseMs":2000,"pacing":[{"limit":1,"perMs":50}]}`, lets
 * the tests' server processes lease, pace and back off faster than a config may (a lease of at
 * least 15 s, Slack's pace of 1 s, backoff from 2 s). Users leave it unset.
 */
export const TEST_TIMING_VARIABLE = 'CREDO_NOTIFY_TEST_TIMING';

const positive = z.number().positive();
const testTiming = z.strictObject({
  leaseMs: positive.optional(),
  pacing: z.array(z.strictObject({ limit: z.number().int().positive(), perMs: positive })).optional(),
  backoff: z.strictObject({ baseMs: positive, factor: z.number().min(1), capMs: positive }).optional(),
  subscriptionRefreshMs: positive.optional(),
});

/** The timings the variable asks for; undefined when it is unset. Throws when it is not valid. */
export function testTimingFrom(env: NodeJS.ProcessEnv): Timing | undefined {
  const text = env[TEST_TIMING_VARIABLE];
  if (!text) return undefined;
  const parsed = testTiming.safeParse(JSON.parse(text));
  if (!parsed.success) throw new Error(`${TEST_TIMING_VARIABLE}: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}
