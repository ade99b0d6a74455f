import type { FastifyReply } from 'fastify';
import type { Clock } from '../clock.js';
import { errorBody } from '../errors.js';

/**
 * Failed authentications per client address: past `maxFailures` in a window, that address is
 * refused (429 with Retry-After) until the window ends, right credentials or not, so guessing a
 * secret costs a minute per 20 tries. Shared by every route that checks a credential.
 */
export interface FailedAuthLimit {
  /** Whole seconds until `address` may try again; 0 when it may now. */
  retryAfterSeconds(address: string): number;
  /** Counts one failed attempt from `address`. */
  failed(address: string): void;
}

export interface FailedAuthLimitOptions {
  clock: Clock;
  maxFailures?: number;
  windowMs?: number;
  /** Addresses remembered at most: a flood from many addresses cannot grow memory without end. */
  maxAddresses?: number;
}

const DEFAULT_MAX_FAILURES = 20;
const DEFAULT_WINDOW_MS = 60_000;
const DEFAULT_MAX_ADDRESSES = 10_000;

interface Window {
  startedAt: number;
  failures: number;
}

export function createFailedAuthLimit(options: FailedAuthLimitOptions): FailedAuthLimit {
  const { clock } = options;
  const maxFailures = options.maxFailures ?? DEFAULT_MAX_FAILURES;
  const windowMs = options.windowMs ?? DEFAULT_WINDOW_MS;
  const maxAddresses = options.maxAddresses ?? DEFAULT_MAX_ADDRESSES;
  // A Map keeps insertion order: the first entry is the oldest window.
  const windows = new Map<string, Window>();

  const current = (address: string, now: number): Window | undefined => {
    const window = windows.get(address);
    if (window && now - window.startedAt >= windowMs) {
      windows.delete(address);
      return undefined;
    }
    return window;
  };

  return {
    retryAfterSeconds(address) {
      const now = clock.now();
      const window = current(address, now);
      if (!window || window.failures < maxFailures) return 0;
      return Math.max(1, Math.ceil((window.startedAt + windowMs - now) / 1000));
    },
    failed(address) {
      const now = clock.now();
      const window = current(address, now);
      if (window) {
        window.failures += 1;
        return;
      }
      if (windows.size >= maxAddresses) {
        const oldest = windows.keys().next().value;
        if (oldest !== undefined) windows.delete(oldest);
      }
      windows.set(address, { startedAt: now, failures: 1 });
    },
  };
}

/** Answers 429 when `address` is over its limit; true if it did, and the caller must stop. */
export function refuseIfLimited(limit: FailedAuthLimit, address: string, reply: FastifyReply): boolean {
  const retryAfter = limit.retryAfterSeconds(address);
  if (retryAfter === 0) return false;
  reply
    .code(429)
    .header('retry-after', String(retryAfter))
    .send(errorBody('CN_TOO_MANY_FAILED_AUTH', 'too many failed authentication attempts; retry later'));
  return true;
}
