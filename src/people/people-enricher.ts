import type { ConcurrencyLimit } from '../concurrency-limit.js';
import { useCaseIdOf } from '../events/event-fields.js';
import type { Platform } from '../messages.js';
import { peopleInEvent } from '../render/people-in-event.js';
import type { Person, RenderInput } from '../render/renderer.js';
import type { CredoLookups } from './credo-lookups.js';
import type { IdentityResolver } from './identity-resolver.js';

/**
 * Adds to an event what its message should show beyond the event itself: the use case's name
 * and, for the people the event names (at most `mentions.maxPerEvent`), their name and chat
 * id. Whatever cannot be found is left out and the message shows what the event carries; this
 * never fails for want of a name.
 */
export interface PeopleEnricher {
  /**
   * `only` narrows the people to those ids, for a message that shows no one else by chat id:
   * a direct message needs its reader, and the actor its template names.
   */
  enrich(
    input: RenderInput,
    platform: Platform,
    options?: { only?: readonly string[] },
  ): Promise<RenderInput>;
}

export function createPeopleEnricher(options: {
  credo: CredoLookups;
  identities: IdentityResolver;
  /** `mentions.maxPerEvent` */
  maxPeople: number;
  /** Shared by every enrichment: how many people are being looked up at once, all jobs together. */
  lookups: ConcurrencyLimit;
}): PeopleEnricher {
  const { credo, identities, lookups } = options;
  return {
    async enrich(input, platform, { only } = {}) {
      const { event } = input;
      const useCaseId = useCaseIdOf(event);
      const named = [...peopleInEvent(event, options.maxPeople).people].filter(
        ([id]) => only === undefined || only.includes(id),
      );
      const [useCaseName, people] = await Promise.all([
        useCaseId === undefined
          ? undefined
          : credo.useCaseName(useCaseId, { refresh: event.type === 'use_case_name_updated' }),
        Promise.all(
          named.map(
            async ([id, seen]): Promise<[string, Person]> => [
              id,
              await lookups(() => identities.resolve(id, seen, platform)),
            ],
          ),
        ),
      ]);
      return {
        ...input,
        useCaseName: input.useCaseName ?? useCaseName,
        people: { ...Object.fromEntries(people), ...input.people },
      };
    },
  };
}
