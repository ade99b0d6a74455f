import { createHash } from 'node:crypto';
import type { Clock } from '../../clock.js';
import type { KeyValueState } from '../../store/store.js';

export type ConversationKind = 'channel' | 'groupChat' | 'personal';

/** Someone the bot has a personal chat with. */
export interface TeamsUser {
  /** Teams user id, `29:…`. */
  id: string;
  /** Entra (Azure AD) object id. */
  aadObjectId: string | null;
  name: string | null;
  /** From their Teams profile, when Teams told us. */
  email: string | null;
  userPrincipalName: string | null;
}

/** A conversation the bot was added to (or spoken to in), as captured then. */
export interface TeamsConversation {
  /** Conversation id, never with a `;messageid=` thread suffix. */
  id: string;
  kind: ConversationKind;
  /** What to write in the config instead of the id; null for personal chats. */
  alias: string | null;
  /** The channel's name, the chat's topic, or the person's name. */
  name: string | null;
  teamName: string | null;
  tenantId: string | null;
  /** Personal chats: with whom. */
  user: TeamsUser | null;
  /** The Bot Framework conversation reference (service URL, bot, conversation) to post with. */
  reference: Record<string, unknown>;
  capturedAt: number;
}

/** A conversation as an activity shows it: aliases it would like, best first. */
export type SeenConversation = Omit<TeamsConversation, 'alias' | 'capturedAt'> & { aliases: string[] };

/**
 * Where the bot may post, kept in the store's kv so every instance (and a restart) knows it:
 * `teams-conversation` by id, `teams-alias` alias -> id, `teams-personal` user -> id (by Teams
 * id, Entra object id and email, lowercased). Nothing expires; removing the bot forgets.
 */
export interface ConversationDirectory {
  /** Stores or refreshes a conversation. An alias once given is kept; `isNew` says it was unknown. */
  remember(seen: SeenConversation): Promise<{ conversation: TeamsConversation; isNew: boolean }>;
  forget(id: string): Promise<void>;
  /** By conversation id (a thread's id works too) or alias. */
  find(idOrAlias: string): Promise<TeamsConversation | undefined>;
  /** The personal chat with a user, by Teams id, Entra object id, UPN or email. */
  findPersonal(user: string): Promise<TeamsConversation | undefined>;
}

const CONVERSATIONS = 'teams-conversation';
const ALIASES = 'teams-alias';
const PERSONAL = 'teams-personal';

export function createConversationDirectory(store: KeyValueState, clock: Clock): ConversationDirectory {
  const read = async (id: string) => {
    const json = await store.kvGet(CONVERSATIONS, id, clock.now());
    return json === undefined ? undefined : (JSON.parse(json) as TeamsConversation);
  };
  const aliasOwner = (alias: string) => store.kvGet(ALIASES, alias.toLowerCase(), clock.now());
  // The kv has no delete: an entry that expired now is gone for every reader.
  const drop = (namespace: string, key: string) => store.kvSet(namespace, key, '', clock.now());

  const freeAlias = async (seen: SeenConversation) => {
    if (seen.kind === 'personal') return null;
    const fallback = `${seen.kind === 'channel' ? 'channel' : 'chat'}-${shortHash(seen.id)}`;
    for (const alias of [...seen.aliases, fallback]) {
      const owner = await aliasOwner(alias);
      if (owner === undefined || owner === seen.id) return alias;
    }
    return null;
  };

  return {
    async remember(seen) {
      const known = await read(seen.id);
      const { aliases: _wanted, ...facts } = seen;
      const conversation: TeamsConversation = {
        ...facts,
        alias: known?.alias ?? (await freeAlias(seen)),
        capturedAt: clock.now(),
      };
      await store.kvSet(CONVERSATIONS, conversation.id, JSON.stringify(conversation), null);
      if (conversation.alias)
        await store.kvSet(ALIASES, conversation.alias.toLowerCase(), conversation.id, null);
      for (const key of personalKeys(conversation)) await store.kvSet(PERSONAL, key, conversation.id, null);
      return { conversation, isNew: known === undefined };
    },

    async forget(id) {
      const known = await read(id);
      if (!known) return;
      await drop(CONVERSATIONS, id);
      if (known.alias && (await aliasOwner(known.alias)) === id)
        await drop(ALIASES, known.alias.toLowerCase());
      for (const key of personalKeys(known)) await drop(PERSONAL, key);
    },

    async find(idOrAlias) {
      const byId = await read(baseConversationId(idOrAlias));
      if (byId) return byId;
      const id = await aliasOwner(idOrAlias);
      return id === undefined ? undefined : read(id);
    },

    async findPersonal(user) {
      const id = await store.kvGet(PERSONAL, user.trim().toLowerCase(), clock.now());
      return id === undefined ? undefined : read(id);
    },
  };
}

/** A channel thread's id is `{channel id};messageid={root id}`: the channel is what was captured. */
export function baseConversationId(id: string): string {
  return id.split(';')[0] ?? id;
}

/** `Risk Review` -> `risk-review`: what a config can name a conversation by. */
export function aliasOf(name: string | null | undefined): string | undefined {
  const alias = (name ?? '')
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60)
    .replace(/-+$/, '');
  return alias === '' ? undefined : alias;
}

function personalKeys(conversation: TeamsConversation): string[] {
  const { user } = conversation;
  if (conversation.kind !== 'personal' || !user) return [];
  return [user.id, user.aadObjectId, user.email, user.userPrincipalName].flatMap((key) =>
    key ? [key.toLowerCase()] : [],
  );
}

function shortHash(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 8);
}
