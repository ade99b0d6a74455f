import { describe, expect, it } from 'vitest';
import { DeliveryError } from '../../src/notify/notifier.js';
import { nextRetry } from '../../src/notify/retry-policy.js';

const HOUR = 3_600_000;
const start = 1_754_632_592_000;
const retryable = new DeliveryError('HTTP 503', { code: 'CN_SLACK_UNAVAILABLE', retryable: true });
const base = { firstAttemptAt: start, now: start, maxAttempts: 15, maxAgeMs: 24 * HOUR, error: retryable };

describe('nextRetry', () => {
  it('waits up to 2 s, 4 s, 8 s... as attempts grow, scaled by the jitter', () => {
    const delays = [1, 2, 3, 4].map((attempts) => {
      const decision = nextRetry({ ...base, attempts, random: () => 0.5 });
      return decision.action === 'retry' ? decision.runAt - start : decision.reason;
    });

    expect(delays).toEqual([1_000, 2_000, 4_000, 8_000]);
  });

  it('follows the backoff it is given in place of its own (tests shorten it)', () => {
    const backoff = { baseMs: 100, factor: 3, capMs: 500 };
    const delays = [1, 2, 3].map((attempts) => {
      const decision = nextRetry({ ...base, attempts, backoff, random: () => 0.5 });
      return decision.action === 'retry' ? decision.runAt - start : decision.reason;
    });

    expect(delays).toEqual([50, 150, 250]);
  });

  it('never waits longer than 10 minutes however many attempts failed', () => {
    expect(nextRetry({ ...base, attempts: 14, random: () => 0.999_999 })).toEqual({
      action: 'retry',
      runAt: start + 599_999,
    });
  });

  it('spreads retries anywhere from now to the ceiling (full jitter)', () => {
    expect(nextRetry({ ...base, attempts: 3, random: () => 0 })).toEqual({ action: 'retry', runAt: start });
  });

  it('probes a platform that is down at most 4 s apart, between half the ceiling and all of it (issue #17)', () => {
    const delays = [1, 2, 3, 4, 14].flatMap((attempts) =>
      [0, 0.999_999].map((random) => {
        const decision = nextRetry({ ...base, attempts, probe: true, random: () => random });
        return decision.action === 'retry' ? decision.runAt - start : decision.reason;
      }),
    );

    expect(delays).toEqual([1_000, 1_999, 2_000, 3_999, 2_000, 3_999, 2_000, 3_999, 2_000, 3_999]);
  });

  it('keeps the give-up limits for a probe: its attempts are its own', () => {
    expect(nextRetry({ ...base, attempts: 15, probe: true })).toMatchObject({
      action: 'dead',
      code: 'CN_RETRIES_EXHAUSTED',
    });
  });

  it('obeys a Retry-After to the millisecond, without jitter', () => {
    const error = new DeliveryError('rate limited', { retryable: true, retryAfterMs: 30_000 });

    expect(nextRetry({ ...base, attempts: 9, error, now: start + 5, random: () => 0.5 })).toEqual({
      action: 'retry',
      runAt: start + 5 + 30_000,
    });
  });

  it('dead-letters a permanent error at once, with its reason', () => {
    const error = new DeliveryError('channel_not_found', {
      code: 'CN_SLACK_CHANNEL_NOT_FOUND',
      retryable: false,
    });

    expect(nextRetry({ ...base, attempts: 1, error })).toEqual({
      action: 'dead',
      code: 'CN_SLACK_CHANNEL_NOT_FOUND',
      reason: 'CN_SLACK_CHANNEL_NOT_FOUND: channel_not_found',
    });
  });

  it('ends a dead letter with what to do, when the error says (issue #16)', () => {
    const error = new DeliveryError('not_in_channel', {
      code: 'CN_SLACK_NOT_IN_CHANNEL',
      retryable: false,
      remedy: 'invite the bot to #ai-reviews',
    });

    expect(nextRetry({ ...base, attempts: 1, error })).toMatchObject({
      reason: 'CN_SLACK_NOT_IN_CHANNEL: not_in_channel: invite the bot to #ai-reviews',
    });
  });

  it('gives a failure that deserves fewer attempts than maxAttempts no more (issue #16)', () => {
    const error = new DeliveryError('a_new_code', {
      code: 'CN_SLACK_UNKNOWN_ERROR',
      retryable: true,
      maxAttempts: 4,
    });

    expect(nextRetry({ ...base, attempts: 3, error }).action).toBe('retry');
    expect(nextRetry({ ...base, attempts: 4, error })).toEqual({
      action: 'dead',
      code: 'CN_RETRIES_EXHAUSTED',
      reason: 'CN_RETRIES_EXHAUSTED: gave up after 4 attempts: CN_SLACK_UNKNOWN_ERROR: a_new_code',
    });
    expect(nextRetry({ ...base, maxAttempts: 2, attempts: 2, error }).action).toBe('dead');
  });

  it('retries errors that are not DeliveryErrors', () => {
    const decision = nextRetry({
      ...base,
      attempts: 1,
      error: new TypeError('x is undefined'),
      random: () => 0.5,
    });

    expect(decision).toEqual({ action: 'retry', runAt: start + 1_000 });
  });

  it('gives up after the last allowed attempt, saying so', () => {
    expect(nextRetry({ ...base, attempts: 15 })).toEqual({
      action: 'dead',
      code: 'CN_RETRIES_EXHAUSTED',
      reason: 'CN_RETRIES_EXHAUSTED: gave up after 15 attempts: CN_SLACK_UNAVAILABLE: HTTP 503',
    });
  });

  it('gives up when the next attempt would come after the age limit, saying so', () => {
    const now = start + 24 * HOUR - 1_000;

    expect(nextRetry({ ...base, attempts: 6, now, random: () => 0.5 })).toEqual({
      action: 'dead',
      code: 'CN_TOO_OLD',
      reason: 'CN_TOO_OLD: gave up after 6 attempts, at the 24 h age limit: CN_SLACK_UNAVAILABLE: HTTP 503',
    });
  });
});
