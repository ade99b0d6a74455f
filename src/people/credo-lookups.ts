import type { Clock } from '../clock.js';
import type { CredoApiClient, CredoUser } from '../credo-api/client.js';
import type { Logger } from '../log.js';
import type { KeyValueState } from '../store/store.js';
import { createCachedLookup, type LookupOptions } from './cached-lookup.js';
import { createOutageGuard } from './outage-guard.js';

/** What messages read from the Credo AI API: people and use case names, remembered for a TTL. */
export interface CredoLookups {
  /**
   * undefined when unknown: no API configured, no such user, or the API failing; with
   * `required`, the API's failure is thrown instead.
   */
  user(id: string, options?: Pick<LookupOptions, 'required'>): Promise<CredoUser | undefined>;
  /** `refresh` asks the API even when a name is remembered: the use case was just renamed. */
  useCaseName(id: string, options?: { refresh?: boolean }): Promise<string | undefined>;
}

export interface CredoLookupsOptions {
  /** Absent without `credo.api`: messages then show what events carry. */
  api: CredoApiClient | undefined;
  store: KeyValueState;
  clock: Clock;
  log: Logger;
  ttlMs: number;
}

export const IDENTITY_NAMESPACE = 'identity';
/** Use case names, by id, as the Credo AI API gave them (JSON text). */
export const USE_CASE_NAMESPACE = 'use-case';

export function createCredoLookups(options: CredoLookupsOptions): CredoLookups {
  const { api } = options;
  if (!api) return { user: async () => undefined, useCaseName: async () => undefined };
  const guard = createOutageGuard({
    service: 'the Credo AI API',
    consequence: 'the names only it knows',
    log: options.log,
    clock: options.clock,
  });
  const users = createCachedLookup<CredoUser>({ ...options, namespace: IDENTITY_NAMESPACE, guard });
  const useCaseNames = createCachedLookup<string>({ ...options, namespace: USE_CASE_NAMESPACE, guard });
  return {
    user: (id, lookup) => users(`credo-user:${id}`, () => api.getUser(id), lookup),
    useCaseName: (id, lookup) => useCaseNames(id, async () => (await api.getUseCase(id))?.name, lookup),
  };
}
