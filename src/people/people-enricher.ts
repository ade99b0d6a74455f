import { useCaseIdOf } from '../events/event-fields.js';
import type { Platform } from '../messages.js';
import type { Person, RenderInput } from '../render/renderer.js';
import type { CredoLookups } from './credo-lookups.js';
import type { IdentityResolver } from './identity-resolver.js';
import { peopleInEvent } from './people-in-event.js';

/**
 * Adds to an event what its message should show beyond the event itself: the use case's name
 * and, for everyone the event names, their name and chat id. Whatever cannot be found is left
 * out and the message shows what the event carries; this never fails for want of a name.
 */
export interface PeopleEnricher {
  enrich(input: RenderInput, platform: Platform): Promise<RenderInput>;
}

export function createPeopleEnricher(options: {
  credo: CredoLookups;
  identities: IdentityResolver;
}): PeopleEnricher {
  const { credo, identities } = options;
  return {
    async enrich(input, platform) {
      const { event } = input;
      const useCaseId = useCaseIdOf(event);
      const [useCaseName, people] = await Promise.all([
        useCaseId === undefined
          ? undefined
          : credo.useCaseName(useCaseId, { refresh: event.type === 'use_case_name_updated' }),
        Promise.all(
          [...peopleInEvent(event)].map(
            async ([id, seen]): Promise<[string, Person]> => [
              id,
              await identities.resolve(id, seen, platform),
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
