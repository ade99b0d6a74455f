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
  /** Captured from an authenticated activity; absent in records older than that check. */
  authenticated?: boolean;
  /** Teams said the bot may not post here (when, and what it answered); cleared by the next activity here. */
  inactive?: { since: number; reason: string };
}

/** A conversation as an activity shows it: aliases it would like, best first. */
export type SeenConversation = Omit<
  TeamsConversation,
  'alias' | 'capturedAt' | 'authenticated' | 'inactive'
> & {
  aliases: string[];
};

/**
 * Where the bot may post, kept in the store's kv so every instance (and a restart) knows it:
 * `teams-conversation` by id, `teams-alias` alias -> id, `teams-personal` user -> id (by Teams
 * id, Entra object id and email, lowercased). Nothing expires.
 *
 * Activities are claims by whoever sent them, so what they may change is narrow: an alias is
 * claimed once and stays its conversation's (removing the bot keeps it; only an admin moves it);
 * a known conversation keeps the service URL and tenant it was captured with; a person's key
 * never moves to a chat in another tenant. Aliases and ids never mix: an alias has no `:`, a
 * Teams conversation id always has one (`19:…`, `a:…`).
 */
export interface ConversationDirectory {
  /** Stores or refreshes a conversation. An alias once given is kept; `isNew` says it was unknown. */
  remember(seen: SeenConversation): Promise<{ conversation: TeamsConversation; isNew: boolean }>;
  forget(id: string): Promise<void>;
  /** By conversation id (a thread's id works too) or alias. */
  find(idOrAlias: string): Promise<TeamsConversation | undefined>;
  /** The personal chat with a user, by Teams id, Entra object id, UPN or email. */
  findPersonal(user: string): Promise<TeamsConversation | undefined>;
  /** Every conversation known, and every alias with the id it names (for the admin). */
  list(): Promise<{ conversations: TeamsConversation[]; aliases: Map<string, string> }>;
  /** The admin's move: `alias` names conversation `id` from now on. */
  moveAlias(alias: string, id: string): Promise<void>;
  /** Teams refused the bot here for good: kept, so the admin sees it, but not posted to. */
  markInactive(id: string, reason: string): Promise<void>;
  /** Drops what was captured without authentication; says how many conversations went. */
  dropUnauthenticated(): Promise<number>;
}

export interface DirectoryOptions {
  /** Whether activities are authenticated now: records say so, for dropUnauthenticated. */
  authenticated: boolean;
}

const CONVERSATIONS = 'teams-conversation';
const ALIASES = 'teams-alias';
const PERSONAL = 'teams-personal';

export function createConversationDirectory(
  store: KeyValueState,
  clock: Clock,
  options: DirectoryOptions = { authenticated: false },
): ConversationDirectory {
  const read = async (id: string) => {
    const json = await store.kvGet(CONVERSATIONS, id, clock.now());
    return json === undefined || json === '' ? undefined : (JSON.parse(json) as TeamsConversation);
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

  /** A person's key moves to this chat unless it names a chat in another tenant. */
  const claimPersonalKeys = async (conversation: TeamsConversation) => {
    for (const key of personalKeys(conversation)) {
      const holder = await store.kvGet(PERSONAL, key, clock.now());
      const other = holder && holder !== conversation.id ? await read(holder) : undefined;
      if (other && other.tenantId !== conversation.tenantId) continue;
      await store.kvSet(PERSONAL, key, conversation.id, null);
    }
  };

  const forgetRecord = async (known: TeamsConversation) => {
    await drop(CONVERSATIONS, known.id);
    for (const key of personalKeys(known)) {
      if ((await store.kvGet(PERSONAL, key, clock.now())) === known.id) await drop(PERSONAL, key);
    }
  };

  return {
    async remember(seen) {
      const known = await read(seen.id);
      const { aliases: _wanted, ...facts } = seen;
      const conversation: TeamsConversation = {
        ...facts,
        alias: known?.alias ?? (await freeAlias(seen)),
        // Where to post and for which tenant were settled at capture; an activity can't move them.
        reference: known ? { ...seen.reference, serviceUrl: known.reference.serviceUrl } : seen.reference,
        tenantId: known ? known.tenantId : seen.tenantId,
        authenticated: known ? known.authenticated : options.authenticated,
        capturedAt: clock.now(),
      };
      await store.kvSet(CONVERSATIONS, conversation.id, JSON.stringify(conversation), null);
      if (conversation.alias && (await aliasOwner(conversation.alias)) === undefined)
        await store.kvSet(ALIASES, conversation.alias.toLowerCase(), conversation.id, null);
      await claimPersonalKeys(conversation);
      return { conversation, isNew: known === undefined };
    },

    async forget(id) {
      const known = await read(id);
      if (known) await forgetRecord(known);
    },

    async find(idOrAlias) {
      if (!isConversationId(idOrAlias)) {
        const id = await aliasOwner(idOrAlias);
        return id === undefined || id === '' ? undefined : read(id);
      }
      return read(baseConversationId(idOrAlias));
    },

    async findPersonal(user) {
      const id = await store.kvGet(PERSONAL, user.trim().toLowerCase(), clock.now());
      return id === undefined || id === '' ? undefined : read(id);
    },

    async list() {
      const now = clock.now();
      const conversations = (await store.kvList(CONVERSATIONS, now))
        .filter(({ value }) => value !== '')
        .map(({ value }) => JSON.parse(value) as TeamsConversation);
      const aliases = new Map(
        (await store.kvList(ALIASES, now))
          .filter(({ value }) => value !== '')
          .map(({ key, value }) => [key, value]),
      );
      return { conversations, aliases };
    },

    async moveAlias(alias, id) {
      const target = await read(id);
      if (!target) throw new Error(`no Teams conversation has the id ${id}`);
      const key = alias.toLowerCase();
      const owner = await aliasOwner(key);
      if (owner && owner !== id) {
        const previous = await read(owner);
        if (previous?.alias?.toLowerCase() === key)
          await store.kvSet(CONVERSATIONS, owner, JSON.stringify({ ...previous, alias: null }), null);
      }
      await store.kvSet(ALIASES, key, id, null);
      await store.kvSet(CONVERSATIONS, id, JSON.stringify({ ...target, alias: key }), null);
    },

    async markInactive(id, reason) {
      const known = await read(id);
      if (!known) return;
      const inactive = { since: clock.now(), reason };
      await store.kvSet(CONVERSATIONS, id, JSON.stringify({ ...known, inactive }), null);
    },

    async dropUnauthenticated() {
      const { conversations, aliases } = await this.list();
      const untrusted = conversations.filter((conversation) => conversation.authenticated !== true);
      const ids = new Set(untrusted.map((conversation) => conversation.id));
      for (const conversation of untrusted) await forgetRecord(conversation);
      for (const [alias, id] of aliases) if (ids.has(id)) await drop(ALIASES, alias);
      return untrusted.length;
    },
  };
}

/** Teams conversation ids carry a `:` (`19:…@thread.tacv2`, `a:…`); aliases never do. */
function isConversationId(name: string): boolean {
  return name.includes(':');
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
