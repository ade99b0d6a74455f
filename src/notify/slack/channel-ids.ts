import { createHash } from 'node:crypto';
import type { Clock } from '../../clock.js';
import type { KeyValueState } from '../../store/store.js';
import type { SlackClient } from './slack-client.js';

/**
 * A destination may name its channel `#name`, or a person by user id (a direct message).
 * chat.postMessage takes either, but chat.update, conversations.history and
 * conversations.replies take only the channel ID and answer `channel_not_found` to anything else
 * (docs.slack.dev/reference/methods/conversations.history, `channel`: "Conversation ID").
 * So the id is learnt once, from the answer to a post (its `channel` is the ID) or by asking
 * Slack, and kept in the store: looking for an earlier post after a lost answer or a restart
 * needs it most when no answer came.
 */
export interface ChannelIds {
  /** The id `channel` stands for, when it is one or was learnt; no call to Slack. */
  known(channel: string): Promise<string | undefined>;
  /**
   * As `known`, else asks Slack: conversations.list for a `#name`, conversations.open for a user
   * id. Undefined when Slack has no such channel. Slack's errors are thrown as the client raised them.
   */
  find(channel: string): Promise<string | undefined>;
  /** What a post's answer said `channel` went to. */
  learn(channel: string, id: string): Promise<void>;
}

export interface ChannelIdsOptions {
  client: SlackClient;
  /** Ids are kept per workspace: the token names it, without being stored. */
  botToken: string;
  store: KeyValueState;
  clock: Clock;
}

const NAMESPACE = 'slack-channel';
/** How long a learnt id is kept; after that, the next post's answer (or Slack) tells it again. */
const MEMORY_MS = 90 * 24 * 3_600_000;
/** conversations.list pages (Tier 2, 20 a minute): 10 of 1,000 cover a large workspace. */
const LIST_PAGE_SIZE = 1_000;
const MAX_LIST_PAGES = 10;

/** Public (`C`), private (`G`, older ones) and direct (`D`) conversations have ids like these. */
export function isChannelId(channel: string): boolean {
  return /^[CGD][A-Z0-9]{2,}$/.test(channel);
}

export function createChannelIds(options: ChannelIdsOptions): ChannelIds {
  const { client, store, clock } = options;
  const workspace = createHash('sha256').update(options.botToken).digest('hex').slice(0, 16);
  const keyOf = (channel: string) => `${workspace}:${channel}`;
  /** What this process already read or wrote, so a post costs no store read. */
  const learnt = new Map<string, string>();

  const known = async (channel: string) => {
    if (isChannelId(channel)) return channel;
    const remembered = learnt.get(channel) ?? (await store.kvGet(NAMESPACE, keyOf(channel), clock.now()));
    if (remembered !== undefined) learnt.set(channel, remembered);
    return remembered;
  };
  const learn = async (channel: string, id: string) => {
    if (isChannelId(channel) || learnt.get(channel) === id) return;
    learnt.set(channel, id);
    await store.kvSet(NAMESPACE, keyOf(channel), id, clock.now() + MEMORY_MS);
  };

  return {
    known,
    learn,
    async find(channel) {
      const id = (await known(channel)) ?? (await askSlack(client, channel));
      if (id !== undefined) await learn(channel, id);
      return id;
    },
  };
}

async function askSlack(client: SlackClient, channel: string): Promise<string | undefined> {
  if (channel.startsWith('#')) return channelNamed(client, channel.slice(1));
  // A user id: the bot's direct conversation with them (scope im:write, which DMs need anyway).
  return (await client.conversations.open({ users: channel })).channel?.id;
}

/**
 * conversations.list (scopes channels:read, groups:read) lists the public channels, and the
 * private ones the bot is in, a page at a time (docs.slack.dev/reference/methods/conversations.list).
 */
async function channelNamed(client: SlackClient, name: string): Promise<string | undefined> {
  let cursor: string | undefined;
  for (let page = 0; page < MAX_LIST_PAGES; page++) {
    const answer = await client.conversations.list({
      types: 'public_channel,private_channel',
      exclude_archived: true,
      limit: LIST_PAGE_SIZE,
      cursor,
    });
    const found = answer.channels?.find((candidate) => candidate.name === name);
    if (found?.id) return found.id;
    cursor = answer.response_metadata?.next_cursor;
    if (!cursor) return undefined;
  }
  return undefined;
}
