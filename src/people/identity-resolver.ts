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
  /**
   * Name, email and (when found) chat id on `platform` of Credo AI user `id`. A lookup that
   * fails leaves out what it would have found, as a message shows what it knows; with
   * `required` (a direct message, which has no one to go to without the chat id) the failure of
   * a lookup the chat id depends on is thrown instead, so the message waits rather than drops.
   */
  resolve(id: string, seen: SeenPerson, platform: Platform, options?: ResolveOptions): Promise<Person>;
}

export interface ResolveOptions {
  required?: boolean;
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
type FindByEmail = (email: string, options: ResolveOptions) => Promise<string | undefined>;

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

  const chatIdByEmail = async (email: string, platform: Platform, options: ResolveOptions) =>
    overridesByEmail.get(email.toLowerCase())?.[platform] ?? directories.get(platform)?.(email, options);

  return {
    async resolve(id, seen, platform, options = {}) {
      const overrideById = overridesById.get(id)?.[platform];
      // The API is asked only for what the event and the config leave unknown; the chat id
      // depends on it only for the email.
      const needsEmail = seen.email === undefined && overrideById === undefined;
      const profile =
        seen.name === undefined || needsEmail
          ? await credo.user(id, { required: options.required === true && needsEmail })
          : undefined;
      const person = { name: seen.name ?? profile?.name, email: seen.email ?? profile?.email };
      const chatId =
        overrideById ??
        (person.email === undefined ? undefined : await chatIdByEmail(person.email, platform, options));
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
  return (email, { required }) =>
    lookup(`${platform}:${email.toLowerCase()}`, () => directory.findByEmail(email), { required });
}

/** The person's id on `platform`, when resolved. */
export function chatIdOf(person: Person | undefined, platform: Platform): string | undefined {
  return platform === 'slack' ? person?.slackId : person?.teamsId;
}

/** `person` with their id on `platform` set. */
function withChatId(person: Person, platform: Platform, chatId: string | undefined): Person {
  return platform === 'slack' ? { ...person, slackId: chatId } : { ...person, teamsId: chatId };
}
