import { describeError, type ErrorCode } from '../errors.js';
import { DeliveryError } from './notifier.js';

export interface RetryInput {
  /** Attempts made so far, the failed one included (>= 1). */
  attempts: number;
  error: unknown;
  firstAttemptAt: number;
  now: number;
  maxAttempts: number;
  maxAgeMs: number;
  /** In [0, 1); injectable so tests can fix the jitter. */
  random?: () => number;
  /** BACKOFF unless a test asks for shorter waits. */
  backoff?: Backoff;
  /**
   * The failure holds its destination or platform (FailureScope 'service', 'destination'): the
   * wait is the next probe's, at most PROBE_CAP_MS.
   */
  probe?: boolean;
}

/**
 * A dead job's `reason` starts with its code: the error's own, or why retrying stopped; it ends
 * with what to do, when the error says.
 */
export type RetryDecision =
  | { action: 'retry'; runAt: number }
  | { action: 'dead'; code: ErrorCode; reason: string };

/** The ceiling of the wait after attempt n is min(capMs, baseMs × factor^(n-1)). */
export interface Backoff {
  baseMs: number;
  factor: number;
  capMs: number;
}

/** 2 s, 4 s, 8 s… up to 10 min between attempts, before jitter. */
export const BACKOFF: Readonly<Backoff> = { baseMs: 2_000, factor: 2, capMs: 10 * 60_000 };

/**
 * The longest wait between two probes of a destination or platform that is down. Only one job
 * probes, so a short cap costs a handful of calls, and the backlog goes at most this long after
 * the platform is back, not one long backoff step later (issue #17).
 */
export const PROBE_CAP_MS = 4_000;

/**
 * What to do after a failed send. A permanent error is dead at once; a Retry-After is obeyed to
 * the millisecond; otherwise exponential backoff with full jitter, so that many jobs failing
 * together (Slack down) do not all come back at the same instant. Errors that are not
 * DeliveryErrors are bugs or surprises, and a retry costs little: they are retried.
 */
export function nextRetry(input: RetryInput): RetryDecision {
  const { error, attempts, now } = input;
  const lastError = describeError(error);
  const delivery = error instanceof DeliveryError ? error : undefined;
  const remedy = delivery?.remedy === undefined ? '' : `: ${delivery.remedy}`;
  if (delivery && !delivery.retryable) {
    return { action: 'dead', code: delivery.code, reason: `${lastError}${remedy}` };
  }
  if (attempts >= Math.min(input.maxAttempts, delivery?.maxAttempts ?? Number.POSITIVE_INFINITY)) {
    return dead('CN_RETRIES_EXHAUSTED', `gave up after ${attempts} attempts: ${lastError}${remedy}`);
  }
  const retryAfterMs = delivery?.retryAfterMs;
  const backoff = input.backoff ?? BACKOFF;
  const random = input.random ?? Math.random;
  const runAt =
    now +
    (retryAfterMs ??
      (input.probe ? probeWaitMs(backoff, attempts, random) : jitteredBackoffMs(backoff, attempts, random)));
  if (runAt - input.firstAttemptAt > input.maxAgeMs) {
    const limit = formatDuration(input.maxAgeMs);
    return dead('CN_TOO_OLD', `gave up after ${attempts} attempts, at the ${limit} age limit: ${lastError}`);
  }
  return { action: 'retry', runAt };
}

function dead(code: ErrorCode, message: string): RetryDecision {
  return { action: 'dead', code, reason: `${code}: ${message}` };
}

/** Full jitter: anywhere between 0 and the exponential ceiling for this attempt. */
function jitteredBackoffMs(backoff: Backoff, attempts: number, random: () => number): number {
  const ceiling = Math.min(backoff.capMs, backoff.baseMs * backoff.factor ** (attempts - 1));
  return Math.floor(random() * ceiling);
}

/**
 * Capped, and "equal" jitter (between half the ceiling and all of it): one job probes for many,
 * so there is no crowd to spread, only instances; and a probe every few milliseconds would spend
 * the handful of calls an outage is allowed.
 */
function probeWaitMs(backoff: Backoff, attempts: number, random: () => number): number {
  const ceiling = Math.min(PROBE_CAP_MS, backoff.capMs, backoff.baseMs * backoff.factor ** (attempts - 1));
  return Math.floor(ceiling / 2 + (random() * ceiling) / 2);
}

function formatDuration(ms: number): string {
  const units: [number, string][] = [
    [3_600_000, 'h'],
    [60_000, 'min'],
    [1_000, 's'],
  ];
  const [size, name] = units.find(([size]) => ms >= size) ?? [1, 'ms'];
  return `${Number((ms / size).toFixed(1))} ${name}`;
}
