import { describe, expect, it } from 'vitest';
import { TEST_TIMING_VARIABLE, testTimingFrom } from '../../src/cli/test-timing.js';

describe(TEST_TIMING_VARIABLE, () => {
  it('changes nothing when unset, as for every user', () => {
    expect(testTimingFrom({})).toBeUndefined();
    expect(testTimingFrom({ [TEST_TIMING_VARIABLE]: '' })).toBeUndefined();
  });

  it('gives a test server process its short lease, pace and backoff', () => {
    const text =
      '{"leaseMs":2000,"pacing":[{"limit":1,"perMs":50}],"backoff":{"baseMs":100,"factor":2,"capMs":1000}}';
    expect(testTimingFrom({ [TEST_TIMING_VARIABLE]: text })).toEqual({
      leaseMs: 2_000,
      pacing: [{ limit: 1, perMs: 50 }],
      backoff: { baseMs: 100, factor: 2, capMs: 1_000 },
    });
  });

  it('refuses a misspelt or negative timing instead of ignoring it', () => {
    expect(() => testTimingFrom({ [TEST_TIMING_VARIABLE]: '{"leaseMS":2000}' })).toThrow(
      TEST_TIMING_VARIABLE,
    );
    expect(() => testTimingFrom({ [TEST_TIMING_VARIABLE]: '{"pacing":[{"limit":1,"perMs":-1}]}' })).toThrow(
      /perMs/,
    );
  });
});
