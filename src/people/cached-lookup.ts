import type { Clock } from '../clock.js';
import type { KeyValueState } from '../store/store.js';
import type { OutageGuard } from './outage-guard.js';

/**
 * Looks a key up through the store's kv memory: one call to the service per key per TTL, found
 * and not found alike, shared by concurrent callers. A failed call is not remembered, so the
 * answer comes as soon as the service does; meanwhile the lookup says "unknown" (undefined).
 */
export type CachedLookup<T> = (
  key: string,
  load: () => Promise<T | undefined>,
  options?: { refresh?: boolean },
) => Promise<T | undefined>;

export interface CachedLookupOptions {
  store: KeyValueState;
  clock: Clock;
  /** kv namespace, e.g. `identity`. */
  namespace: string;
  ttlMs: number;
  /** The service `load` calls. */
  guard: OutageGuard;
}

export function createCachedLookup<T>(options: CachedLookupOptions): CachedLookup<T> {
  const { store, clock, namespace } = options;
  const inFlight = new Map<string, Promise<T | undefined>>();

  const lookUp = async (key: string, load: () => Promise<T | undefined>, refresh: boolean) => {
    if (!refresh) {
      const remembered = await store.kvGet(namespace, key, clock.now());
      // `null` is a remembered "not found".
      if (remembered !== undefined) return (JSON.parse(remembered) as T | null) ?? undefined;
    }
    const answer = await options.guard.call(load);
    if (!answer) return undefined;
    await store.kvSet(namespace, key, JSON.stringify(answer.value ?? null), clock.now() + options.ttlMs);
    return answer.value;
  };

  return (key, load, { refresh = false } = {}) => {
    const pending = inFlight.get(key);
    if (pending) return pending;
    const started = lookUp(key, load, refresh).finally(() => inFlight.delete(key));
    inFlight.set(key, started);
    return started;
  };
}
