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
  /** A channel's team (its General channel has the team's id); absent in records older than that. */
  teamId?: string | null;
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

/** Someone in the roster of a team the bot is installed in, and that team's channel to reach Teams by. */
export interface TeamMember {
  user: TeamsUser;
  /** The team's General channel as captured: its service URL and tenant open a 1:1 chat. */
  team: TeamsConversation;
}

/**
 * Where the bot may post, kept in the store's kv so every instance (and a restart) knows it:
 * `teams-conversation` by id, `teams-alias` alias -> id, `teams-personal` user -> id (by Teams
 * id, Entra object id and email, lowercased), `teams-member` user -> team roster entry. Nothing
 * expires.
 *
 * A conversation's alias follows its names (`<team>/<channel>`, see bot-activity.ts): a rename
 * claims the new one, and every alias it had keeps naming it, so a config written with an older
 * one (or with a pre-`<team>/<channel>` alias) keeps working.
 *
 * Activities are claims by whoever sent them, so what they may change is narrow: an alias is
 * claimed once and stays its conversation's (removing the bot keeps it; only an admin moves it);
 * a known conversation keeps the service URL and tenant it was captured with; a person's key
 * never moves to a chat in another tenant. Aliases and ids never mix: an alias has no `:`, a
 * Teams conversation id always has one (`19:…`, `a:…`).
 */
export interface ConversationDirectory {
  /**
   * Stores or refreshes a conversation; names the activity lacks are kept. `isNew`: it was
   * unknown; `revived`: it was inactive, and this activity proves the bot is back.
   */
  remember(
    seen: SeenConversation,
  ): Promise<{ conversation: TeamsConversation; isNew: boolean; revived: boolean }>;
  /** New names for a known conversation (a rename in Teams), and the alias they make. */
  rename(
    id: string,
    names: { name?: string | null; teamName?: string | null },
    aliases: string[],
  ): Promise<TeamsConversation | undefined>;
  /** The known channels of a team. */
  inTeam(teamId: string): Promise<TeamsConversation[]>;
  /** Keeps a team's roster, so that its members can be written to without an install of their own. */
  rememberMembers(team: TeamsConversation, members: TeamsUser[]): Promise<void>;
  /** A member of a team the bot is in, by Teams id, Entra object id, UPN or email. */
  findMember(user: string): Promise<TeamMember | undefined>;
  /** Someone left the team: its roster no longer reaches them (another team's still may). */
  forgetMember(teamId: string, userId: string): Promise<void>;
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
const MEMBERS = 'teams-member';

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

  /** The first alias wanted that is free or already this conversation's; else the one it had. */
  const freeAlias = async (
    target: Pick<TeamsConversation, 'id' | 'kind' | 'alias'>,
    wanted: string[],
  ): Promise<string | null> => {
    if (target.kind === 'personal') return null;
    const fallback = `${target.kind === 'channel' ? 'channel' : 'chat'}-${shortHash(target.id)}`;
    for (const alias of [...wanted, target.alias, fallback]) {
      if (!alias) continue;
      const owner = await aliasOwner(alias);
      if (owner === undefined || owner === target.id) return alias;
    }
    return null;
  };

  /** Writes the record, and claims its alias unless another conversation holds it. */
  const write = async (conversation: TeamsConversation) => {
    await store.kvSet(CONVERSATIONS, conversation.id, JSON.stringify(conversation), null);
    if (conversation.alias && (await aliasOwner(conversation.alias)) === undefined)
      await store.kvSet(ALIASES, conversation.alias.toLowerCase(), conversation.id, null);
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
      const { aliases: wanted, ...facts } = seen;
      const conversation: TeamsConversation = {
        ...facts,
        // Message activities name nothing: the names read at install stay.
        name: seen.name ?? known?.name ?? null,
        teamName: seen.teamName ?? known?.teamName ?? null,
        teamId: seen.teamId ?? known?.teamId ?? null,
        alias: await freeAlias({ id: seen.id, kind: seen.kind, alias: known?.alias ?? null }, wanted),
        // Where to post and for which tenant were settled at capture; an activity can't move them.
        reference: known ? { ...seen.reference, serviceUrl: known.reference.serviceUrl } : seen.reference,
        tenantId: known ? known.tenantId : seen.tenantId,
        authenticated: known ? known.authenticated : options.authenticated,
        capturedAt: clock.now(),
      };
      await write(conversation);
      await claimPersonalKeys(conversation);
      return { conversation, isNew: known === undefined, revived: known?.inactive !== undefined };
    },

    async rename(id, names, aliases) {
      const known = await read(id);
      if (!known) return undefined;
      const renamed: TeamsConversation = {
        ...known,
        name: names.name === undefined ? known.name : names.name,
        teamName: names.teamName === undefined ? known.teamName : names.teamName,
        alias: await freeAlias(known, aliases),
      };
      await write(renamed);
      return renamed;
    },

    async inTeam(teamId) {
      const { conversations } = await this.list();
      return conversations.filter(
        (conversation) =>
          conversation.kind === 'channel' && (conversation.teamId ?? conversation.id) === teamId,
      );
    },

    async rememberMembers(team, members) {
      for (const user of members) {
        const entry = JSON.stringify({ user, teamConversation: team.id });
        for (const key of userKeys(user)) {
          // As with personal chats: a person's key never moves to a team in another tenant.
          const held = await store.kvGet(MEMBERS, key, clock.now());
          const holder = held ? (JSON.parse(held) as { teamConversation: string }) : undefined;
          const other =
            holder && holder.teamConversation !== team.id ? await read(holder.teamConversation) : undefined;
          if (other && !other.inactive && other.tenantId !== team.tenantId) continue;
          await store.kvSet(MEMBERS, key, entry, null);
        }
      }
    },

    async forgetMember(teamId, userId) {
      const held = await store.kvGet(MEMBERS, userId.toLowerCase(), clock.now());
      if (!held) return;
      const { user, teamConversation } = JSON.parse(held) as { user: TeamsUser; teamConversation: string };
      const via = await read(teamConversation);
      if ((via?.teamId ?? teamConversation) !== teamId) return;
      for (const key of userKeys(user)) {
        const json = await store.kvGet(MEMBERS, key, clock.now());
        if (json && (JSON.parse(json) as { teamConversation: string }).teamConversation === teamConversation)
          await drop(MEMBERS, key);
      }
    },

    async findMember(user) {
      const json = await store.kvGet(MEMBERS, user.trim().toLowerCase(), clock.now());
      if (json === undefined || json === '') return undefined;
      const entry = JSON.parse(json) as { user: TeamsUser; teamConversation: string };
      const team = await read(entry.teamConversation);
      // A team the bot has left, or that Teams refused it in, opens no chat.
      return team && !team.inactive ? { user: entry.user, team } : undefined;
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
  return userKeys(user);
}

function userKeys(user: TeamsUser): string[] {
  return [user.id, user.aadObjectId, user.email, user.userPrincipalName].flatMap((key) =>
    key ? [key.toLowerCase()] : [],
  );
}

export function shortHash(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 8);
}
