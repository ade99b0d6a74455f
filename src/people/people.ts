import type { Clock } from '../clock.js';
import { createConcurrencyLimit } from '../concurrency-limit.js';
import type { Config } from '../config/schema.js';
import { createCredoApiClient } from '../credo-api/client.js';
import type { Logger } from '../log.js';
import type { Platform } from '../messages.js';
import type { ChatPlatform } from '../notify/chat-platform.js';
import type { TeamsMessenger } from '../notify/teams/teams-notifier.js';
import type { KeyValueState } from '../store/store.js';
import { chatPlatformsFor } from './chat-platforms.js';
import { createCredoLookups } from './credo-lookups.js';
import { createIdentityResolver, type IdentityResolver } from './identity-resolver.js';
import { createPeopleEnricher, type PeopleEnricher } from './people-enricher.js';

/** What a config gives for telling people: names and chat ids for messages, and where to DM. */
export interface People {
  enricher: PeopleEnricher;
  /** Who one person is: what a direct message asks first, as it cannot go without the answer. */
  identities: IdentityResolver;
  chatPlatforms: ReadonlyMap<Platform, ChatPlatform>;
}

/**
 * A name is a nicety, not worth holding a delivery for: the Credo AI API gets less time than a
 * send. (Its failures pause further calls anyway, see outage-guard.ts.)
 */
const CREDO_API_TIMEOUT_MS = 3_000;
const HOUR_MS = 3_600_000;
/**
 * People looked up at once, every job together: each lookup may call the Credo AI API and the
 * chat platform's directory. Enough to keep a few deliveries moving, few enough that a comment
 * naming many people queues here rather than opening a socket each.
 */
const CONCURRENT_LOOKUPS = 8;

export function createPeople(
  config: Config,
  deps: { store: KeyValueState; clock: Clock; log: Logger; teams?: TeamsMessenger },
): People {
  const { api } = config.credo;
  const ttlMs = config.mentions.cacheTtlHours * HOUR_MS;
  const credo = createCredoLookups({
    ...deps,
    api: api && createCredoApiClient({ ...api, timeoutMs: CREDO_API_TIMEOUT_MS }),
    ttlMs,
  });
  const chatPlatforms = chatPlatformsFor(config, deps, deps.teams);
  const identities = createIdentityResolver({
    ...deps,
    credo,
    chatPlatforms,
    overrides: config.mentions.users,
    ttlMs,
  });
  const enricher = createPeopleEnricher({
    credo,
    identities,
    maxPeople: config.mentions.maxPerEvent,
    lookups: createConcurrencyLimit(CONCURRENT_LOOKUPS),
  });
  return { enricher, identities, chatPlatforms };
}
