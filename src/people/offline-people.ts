import { systemClock } from '../clock.js';
import { createConcurrencyLimit } from '../concurrency-limit.js';
import type { Config } from '../config/schema.js';
import { createLogger } from '../log.js';
import type { Platform } from '../messages.js';
import { peopleInEvent } from '../render/people-in-event.js';
import type { RenderInput } from '../render/renderer.js';
import type { KeyValueState } from '../store/store.js';
import { createCredoLookups } from './credo-lookups.js';
import { chatIdOf, createIdentityResolver } from './identity-resolver.js';
import { createPeopleEnricher, type PeopleEnricher } from './people-enricher.js';

/**
 * Only the chat directories and the Credo AI API remember answers, and offline there are none:
 * nothing is ever read from or written to this.
 */
const NOTHING_REMEMBERED: KeyValueState = {
  kvGet: async () => undefined,
  kvSet: async () => {},
  kvList: async () => [],
};

/**
 * The server's people resolution with the network taken away, for `render`: the same resolver
 * and enricher, given no Credo AI API and no chat platform. Names then come from the event and
 * chat ids from `mentions.users` alone, so what `render` prints is what the server sends when
 * every lookup fails.
 */
export function createOfflineEnricher(config: Config): PeopleEnricher {
  const memory = {
    store: NOTHING_REMEMBERED,
    clock: systemClock,
    log: createLogger({ level: 'silent' }),
    ttlMs: 0,
  };
  const credo = createCredoLookups({ ...memory, api: undefined });
  const identities = createIdentityResolver({
    ...memory,
    credo,
    chatPlatforms: new Map(),
    overrides: config.mentions.users,
  });
  return createPeopleEnricher({
    credo,
    identities,
    maxPeople: config.mentions.maxPerEvent,
    // Nothing waits on a socket offline: one at a time costs nothing.
    lookups: createConcurrencyLimit(1),
  });
}

/** The people an enriched input names who have no chat id on `platform`: those only a lookup could find. */
export function unresolvedPeople(input: RenderInput, platform: Platform, maxPeople: number): string[] {
  return [...peopleInEvent(input.event, maxPeople).people.keys()].filter(
    (id) => chatIdOf(input.people?.[id], platform) === undefined,
  );
}
