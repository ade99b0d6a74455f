import type { Clock } from '../clock.js';
import type { KeyValueState } from '../store/store.js';
import type { OutageGuard } from './outage-guard.js';

/**
 * Looks a key up through the store's kv memory: one call to the service per key per TTL, found
 * and not found alike, shared by concurrent callers. A failed call is not remembered, so the
 * answer comes as soon as the service does; meanwhile the lookup says "unknown" (undefined), or,
 * when `required`, throws the failure: unknown is not "nobody".
 */
export type CachedLookup<T> = (
  key: string,
  load: () => Promise<T | undefined>,
  options?: LookupOptions,
) => Promise<T | undefined>;

export interface LookupOptions {
  /** Ask the service even when an answer is remembered: it just changed. */
  refresh?: boolean;
  /** The caller cannot go without the answer: a failure is thrown, and an outage's pause ignored. */
  required?: boolean;
}

export interface CachedLookupOptions {
  store: KeyValueState;
  clock: Clock;
  /** kv namespace, e.g. `identity`. */
  namespace: string;
  ttlMs: number;
  /** The service `load` calls. */
  guard: OutageGuard;
}

/** What one lookup came to, for every caller sharing it to read its own way. */
type Outcome<T> = { value: T | undefined } | { failure: unknown } | { skipped: true };

export function createCachedLookup<T>(options: CachedLookupOptions): CachedLookup<T> {
  const { store, clock, namespace, guard } = options;
  const inFlight = new Map<string, Promise<Outcome<T>>>();

  const lookUp = async (key: string, load: () => Promise<T | undefined>, lookup: LookupOptions) => {
    if (!lookup.refresh) {
      const remembered = await store.kvGet(namespace, key, clock.now());
      // `null` is a remembered "not found".
      if (remembered !== undefined) return { value: (JSON.parse(remembered) as T | null) ?? undefined };
    }
    if (!lookup.required && guard.paused()) return { skipped: true } as const;
    let value: T | undefined;
    try {
      value = await guard.call(load);
    } catch (failure) {
      return { failure };
    }
    await store.kvSet(namespace, key, JSON.stringify(value ?? null), clock.now() + options.ttlMs);
    return { value };
  };

  const shared = (key: string, load: () => Promise<T | undefined>, lookup: LookupOptions) => {
    const pending = inFlight.get(key);
    if (pending) return pending;
    const started = lookUp(key, load, lookup).finally(() => inFlight.delete(key));
    inFlight.set(key, started);
    return started;
  };

  return async (key, load, lookup = {}) => {
    let outcome = await shared(key, load, lookup);
    // Another caller's lookup skipped the paused service: this one cannot go without it.
    if ('skipped' in outcome && lookup.required) outcome = await shared(key, load, lookup);
    if ('value' in outcome) return outcome.value;
    if ('failure' in outcome && lookup.required) throw outcome.failure;
    return undefined;
  };
}
