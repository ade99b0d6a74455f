import type { Clock } from '../clock.js';
import type { Config } from '../config/schema.js';
import type { Logger } from '../log.js';
import type { Platform } from '../messages.js';
import type { ChatPlatform } from '../notify/chat-platform.js';
import type { SeenPerson } from '../render/people-in-event.js';
import type { Person } from '../render/renderer.js';
import type { KeyValueState } from '../store/store.js';
import { createCachedLookup } from './cached-lookup.js';
import { type CredoLookups, IDENTITY_NAMESPACE } from './credo-lookups.js';
import { createOutageGuard } from './outage-guard.js';

/**
 * Maps a Credo AI user to a chat user, in this order: the config's `mentions.users` override
 * (by Credo AI user id, then by email), then the chat platform's directory by email. The email
 * comes from the event, else from the Credo AI API.
 */
export interface IdentityResolver {
  /** Name, email and (when found) chat id on `platform` of Credo AI user `id`. */
  resolve(id: string, seen: SeenPerson, platform: Platform): Promise<Person>;
}

export interface IdentityResolverOptions {
  credo: CredoLookups;
  chatPlatforms: ReadonlyMap<Platform, ChatPlatform>;
  overrides: Config['mentions']['users'];
  store: KeyValueState;
  clock: Clock;
  log: Logger;
  ttlMs: number;
}

type Override = Config['mentions']['users'][string];
type FindByEmail = (email: string) => Promise<string | undefined>;

export function createIdentityResolver(options: IdentityResolverOptions): IdentityResolver {
  const { credo, overrides } = options;
  // A Map, not the config's object: ids come from comment text, and `constructor` is no user.
  const overridesById = new Map<string, Override>(Object.entries(overrides));
  // Emails compare without case; Credo AI ids are exact.
  const overridesByEmail = new Map<string, Override>(
    Object.entries(overrides)
      .filter(([key]) => key.includes('@'))
      .map(([key, value]) => [key.toLowerCase(), value]),
  );
  const directories = new Map<Platform, FindByEmail>(
    [...options.chatPlatforms].map(([platform, chat]) => [platform, directoryLookup(chat, options)]),
  );

  const chatIdByEmail = async (email: string, platform: Platform): Promise<string | undefined> =>
    overridesByEmail.get(email.toLowerCase())?.[platform] ?? directories.get(platform)?.(email);

  return {
    async resolve(id, seen, platform) {
      const overrideById = overridesById.get(id)?.[platform];
      // The API is asked only for what the event and the config leave unknown.
      const needsProfile =
        seen.name === undefined || (seen.email === undefined && overrideById === undefined);
      const profile = needsProfile ? await credo.user(id) : undefined;
      const person = { name: seen.name ?? profile?.name, email: seen.email ?? profile?.email };
      const chatId =
        overrideById ??
        (person.email === undefined ? undefined : await chatIdByEmail(person.email, platform));
      return withChatId(person, platform, chatId);
    },
  };
}

/** Finds chat users by email, through the kv memory when the platform's answers are worth keeping. */
function directoryLookup(chat: ChatPlatform, options: IdentityResolverOptions): FindByEmail {
  const { platform, directory } = chat;
  if (!chat.cacheLookups) return (email) => directory.findByEmail(email);
  const lookup = createCachedLookup<string>({
    ...options,
    namespace: IDENTITY_NAMESPACE,
    guard: createOutageGuard({
      service: `the ${platform} user directory`,
      consequence: 'mentions of people found by email',
      log: options.log,
      clock: options.clock,
    }),
  });
  return (email) => lookup(`${platform}:${email.toLowerCase()}`, () => directory.findByEmail(email));
}

/** The person's id on `platform`, when resolved. */
export function chatIdOf(person: Person | undefined, platform: Platform): string | undefined {
  return platform === 'slack' ? person?.slackId : person?.teamsId;
}

/** `person` with their id on `platform` set. */
function withChatId(person: Person, platform: Platform, chatId: string | undefined): Person {
  return platform === 'slack' ? { ...person, slackId: chatId } : { ...person, teamsId: chatId };
}
