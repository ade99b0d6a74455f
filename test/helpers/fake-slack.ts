import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';

/**
 * A fake Slack on 127.0.0.1: the few Web API methods credo-notify calls, and incoming webhooks.
 * Every request is recorded; any answer can be scripted ahead; an optional per-channel rate
 * limit answers 429 with Retry-After the way Slack does.
 */
export interface FakeSlack {
  /** Web API base URL, ending in `/api/` (what `slack.apiUrl` takes). */
  url: string;
  /** An incoming-webhook URL; any `POST /webhook/<anything>` is one. */
  webhookUrl: string;
  /** Every request received, answered or not, in order. */
  calls: FakeSlackCall[];
  /** Every message posted, in order: what people in the workspace would see. */
  messages: FakeSlackMessage[];
  callsTo(method: string): FakeSlackCall[];
  /** The directory users.lookupByEmail reads: email -> user id, or the user as Slack describes them. */
  users: Map<string, string | FakeSlackUser>;
  /**
   * The channels conversations.info and conversations.list know: id -> name, and whether the bot
   * is a member. A post to a `#name` adds it, as only a channel that exists can be posted to.
   */
  channels: Map<string, { name: string; isMember: boolean }>;
  /** Answers the next requests to `method` (or `webhook`) with these, one per request, in order. */
  answerNext(method: string, ...answers: FakeAnswer[]): void;
  /** 429s answered so far, scripted or from the rate limit. */
  readonly rateLimitedCount: number;
  /** When the request behind a call or a message arrived (ms since the epoch). */
  receivedAt(record: FakeSlackCall | FakeSlackMessage): number;
  /** The HTTP status the fake answers a call with; undefined for a call it leaves hanging. */
  statusOf(call: FakeSlackCall): number | undefined;
  /**
   * While down, Slack fails every request, as in one of its incidents (status.slack.com):
   * `true` drops it unanswered, as in a network failure; `'unavailable'` answers HTTP 503, as
   * Slack's servers do when they fail (the official client, @slack/web-api, retries both: its
   * retry-policies.ts and WebClient's "HTTP 5xx" handling). Neither is recorded in `calls`;
   * `refusedCount` counts them. Requests already in progress still get their answer.
   */
  setDown(down: boolean | 'unavailable'): void;
  /** Requests that arrived while down, answered 503 or dropped: what an outage cost Slack. */
  readonly refusedCount: number;
  /** The stable id a `#name` stands for. */
  channelIdFor(name: string): string;
  /** A new `response_url`, as Slack puts in each slash command it sends. */
  responseUrl(): string;
  /** What was posted to response_urls, in order: the replies people saw to their commands. */
  responses: FakeSlackResponse[];
  close(): Promise<void>;
}

export interface FakeSlackCall {
  /** Web API method (`chat.postMessage`), or `webhook`. */
  method: string;
  path: string;
  /** Form fields with `blocks`/`attachments`/`metadata` JSON-decoded, or the JSON body. */
  body: Record<string, unknown>;
  authorization: string | undefined;
}

export interface FakeSlackMessage {
  /** The channel id it went to (a `#name` or user id resolved). */
  channel: string;
  ts: string;
  text?: unknown;
  blocks?: unknown;
  /** Set on replies: the ts of the thread's parent. */
  thread_ts?: string;
  /** Message metadata as posted (`event_type`, `event_payload`). */
  metadata?: unknown;
}

/** A post to a response_url, taken or refused. */
export interface FakeSlackResponse {
  url: string;
  body: Record<string, unknown>;
  /** 200 taken; 404 past its 5 uses or its 30 minutes. */
  status: number;
}

/** A member as users.lookupByEmail describes them (docs.slack.dev/reference/objects/user-object). */
export interface FakeSlackUser {
  id: string;
  /** A deactivated member: still found by email. */
  deleted?: boolean;
  is_bot?: boolean;
}

export type FakeAnswer =
  /** HTTP 200 `{ ok: false, error }`: how the Web API reports most failures. */
  | { error: string }
  /** Any HTTP answer; a string body is sent as text (webhook errors), an object as JSON. */
  | { status: number; body?: string | Record<string, unknown>; retryAfterSeconds?: number }
  /** Never answers (until close): a hung Slack. */
  | { hang: true }
  /**
   * The request takes effect (a post is in the channel), then the connection drops before the
   * answer: a timeout, or a network failure, on the way back.
   */
  | { lostAnswer: true };

export interface FakeSlackOptions {
  /** At most `messages` posts per channel (or webhook) within `perMs`; beyond it, 429 + Retry-After. */
  rateLimit?: { messages: number; perMs: number };
  /**
   * Delay of every Web API answer, after the request took effect: a post is in the channel
   * while its sender still waits, as when a process dies mid-send.
   */
  latencyMs?: number;
  /**
   * Answers this share (0 to 1) of posts with 429 and this Retry-After, spread evenly: every
   * second post for 0.5. A throttled post does not count towards `rateLimit`.
   */
  throttle?: { share: number; retryAfterSeconds: number };
  /**
   * The time Slack lives in (the rate limit, message ts, arrival times): the test's clock when
   * the product runs on one, so both count the same seconds. The real time by default.
   */
  clock?: { now(): number };
}

interface Reply {
  status: number;
  body: string | Record<string, unknown>;
  headers?: Record<string, string>;
}

/** Web API fields the client sends JSON-encoded inside the form. */
const JSON_ENCODED_FIELDS = new Set(['blocks', 'attachments', 'metadata']);

export async function startFakeSlack(options: FakeSlackOptions = {}): Promise<FakeSlack> {
  const now = () => options.clock?.now() ?? Date.now();
  const calls: FakeSlackCall[] = [];
  const scripted = new Map<string, FakeAnswer[]>();
  const users = new Map<string, string>();
  const channels = new Map<string, { name: string; isMember: boolean }>();
  const postedAt = new Map<string, number[]>();
  const messages: FakeSlackMessage[] = [];
  let messageCount = 0;
  let rateLimitedCount = 0;
  const arrivals = new WeakMap<FakeSlackCall | FakeSlackMessage, number>();
  const statuses = new WeakMap<FakeSlackCall, number>();
  /** Arrival of the request being handled; methods run synchronously after it is set. */
  let arrivedAt = 0;
  let down: boolean | 'unavailable' = false;
  let refusedCount = 0;
  let postsSeen = 0;
  let postsThrottled = 0;
  const responses: FakeSlackResponse[] = [];
  /** Each response_url minted: when, and how often it was used. */
  const responseUrls = new Map<string, { mintedAt: number; uses: number }>();

  const channelIdFor = (name: string) =>
    `C${createHash('sha256').update(name).digest('hex').slice(0, 10).toUpperCase()}`;
  const dmChannelIdFor = (userId: string) => `D${userId.slice(1)}`;
  const resolveChannel = (channel: string) => {
    if (channel.startsWith('#')) {
      const id = channelIdFor(channel.slice(1));
      if (!channels.has(id)) channels.set(id, { name: channel.slice(1), isMember: true });
      return id;
    }
    if (/^[UW]/.test(channel)) return dmChannelIdFor(channel);
    return channel;
  };
  /**
   * conversations.history and conversations.replies take a "Conversation ID" and answer
   * channel_not_found to anything else, a `#name` or a user id among them
   * (docs.slack.dev/reference/methods/conversations.history, .../conversations.replies).
   */
  const isConversationId = (channel: string) => /^[CGD][A-Z0-9]+$/.test(channel);

  /** Seconds until `channel` may post again, or undefined when it may post now (and it counts). */
  const rateLimitWait = (channel: string): number | undefined => {
    const throttled = throttleWait();
    if (throttled !== undefined) return throttled;
    if (!options.rateLimit) return undefined;
    const { messages, perMs } = options.rateLimit;
    const at = now();
    const recent = (postedAt.get(channel) ?? []).filter((earlier) => at - earlier < perMs);
    postedAt.set(channel, recent);
    if (recent.length < messages) {
      recent.push(at);
      return undefined;
    }
    return Math.max(1, Math.ceil(((recent[0] ?? at) + perMs - at) / 1000));
  };

  /** Seconds of the next throttled answer, when `throttle` picks this post for one. */
  const throttleWait = (): number | undefined => {
    if (!options.throttle) return undefined;
    postsSeen += 1;
    if (postsThrottled >= Math.floor(postsSeen * options.throttle.share)) return undefined;
    postsThrottled += 1;
    return options.throttle.retryAfterSeconds;
  };

  const ok = (fields: Record<string, unknown>): Reply => ({ status: 200, body: { ok: true, ...fields } });
  const fail = (error: string): Reply => ({ status: 200, body: { ok: false, error } });
  const tooMany = (seconds: number, body: Reply['body']): Reply => ({
    status: 429,
    body,
    headers: { 'retry-after': String(seconds) },
  });

  const methods: Record<string, (body: Record<string, unknown>) => Reply> = {
    'auth.test': () =>
      ok({
        url: 'https://fake.slack.com/',
        team: 'Fake',
        user: 'credo-notify',
        team_id: 'T0FAKE',
        user_id: 'U0BOT',
      }),
    'chat.postMessage': (body) => {
      const channel = resolveChannel(String(body.channel ?? ''));
      if (!channel) return fail('channel_not_found');
      if (body.text === undefined && body.blocks === undefined) return fail('no_text');
      const wait = rateLimitWait(channel);
      if (wait !== undefined) return tooMany(wait, { ok: false, error: 'ratelimited' });
      messageCount += 1;
      // Slack's ts is the posting time in seconds, made unique by its fraction.
      const ts = `${Math.floor(now() / 1000)}.${String(messageCount).padStart(6, '0')}`;
      const threadTs = body.thread_ts === undefined ? undefined : String(body.thread_ts);
      const message = {
        channel,
        ts,
        text: body.text,
        blocks: body.blocks,
        thread_ts: threadTs,
        metadata: body.metadata,
      };
      arrivals.set(message, arrivedAt);
      messages.push(message);
      return ok({
        channel,
        ts,
        message: { type: 'message', text: body.text, blocks: body.blocks, thread_ts: body.thread_ts },
      });
    },
    'chat.update': (body) => {
      const channel = String(body.channel ?? '');
      // Like Slack: chat.update wants the channel id, not a #name.
      if (!channel || channel.startsWith('#')) return fail('channel_not_found');
      const ts = String(body.ts ?? '');
      if (!messages.some((message) => message.channel === channel && message.ts === ts)) {
        return fail('message_not_found');
      }
      return ok({ channel, ts, text: body.text });
    },
    // Top-level messages (and thread parents), newest first.
    'conversations.history': (body) => {
      const channel = String(body.channel ?? '');
      if (!isConversationId(channel)) return fail('channel_not_found');
      const found = messages.filter(
        (message) =>
          message.channel === channel &&
          (message.thread_ts === undefined || message.thread_ts === message.ts),
      );
      return page(body, found.reverse());
    },
    // A thread: its parent first, then the replies, oldest first.
    'conversations.replies': (body) => {
      const channel = String(body.channel ?? '');
      if (!isConversationId(channel)) return fail('channel_not_found');
      const ts = String(body.ts ?? '');
      const parent = messages.find((message) => message.channel === channel && message.ts === ts);
      if (!parent) return fail('thread_not_found');
      const replies = messages.filter(
        (message) => message.channel === channel && message.thread_ts === ts && message.ts !== ts,
      );
      return page(body, [parent, ...replies]);
    },
    // docs.slack.dev/reference/methods/users.lookupByEmail: users_not_found for an email no
    // member has; a deactivated member is still found, with `deleted: true`.
    'users.lookupByEmail': (body) => {
      const found = users.get(String(body.email ?? ''));
      if (found === undefined) return fail('users_not_found');
      const user = typeof found === 'string' ? { id: found } : found;
      return ok({ user: { deleted: false, is_bot: false, ...user, profile: { email: body.email } } });
    },
    // https://api.slack.com/methods/users.info: the member by id, their email in `profile` (with
    // users:read.email); user_not_found for an id no member has. Read from the same directory.
    'users.info': (body) => {
      const id = String(body.user ?? '');
      for (const [email, found] of users) {
        const user = typeof found === 'string' ? { id: found } : found;
        if (user.id === id)
          return ok({ user: { deleted: false, is_bot: false, ...user, profile: { email } } });
      }
      return fail('user_not_found');
    },
    // docs.slack.dev/reference/methods/conversations.list: the channels, a page of `limit` at a
    // time behind `cursor`; `exclude_archived` is honoured by not archiving anything.
    'conversations.list': (body) => {
      const all = [...channels].map(([id, channel]) => ({
        id,
        name: channel.name,
        is_channel: true,
        is_member: channel.isMember,
      }));
      const limit = Number(body.limit ?? 100);
      const start = Number(body.cursor ?? 0);
      const next = start + limit < all.length ? String(start + limit) : '';
      return ok({ channels: all.slice(start, start + limit), response_metadata: { next_cursor: next } });
    },
    // https://api.slack.com/methods/conversations.info: `channel` is an id; an unknown one, or
    // one the token cannot see, is channel_not_found; `is_member` says whether the bot is in it.
    'conversations.info': (body) => {
      const id = String(body.channel ?? '');
      const channel = channels.get(id);
      if (!channel) return fail('channel_not_found');
      return ok({ channel: { id, name: channel.name, is_channel: true, is_member: channel.isMember } });
    },
    // https://api.slack.com/methods/chat.getPermalink: `{ok, channel, permalink}`, the permalink
    // `https://<workspace>.slack.com/archives/<channel>/p<ts without its dot>`; message_not_found
    // for a ts the channel does not have.
    'chat.getPermalink': (body) => {
      const channel = String(body.channel ?? '');
      const ts = String(body.message_ts ?? '');
      if (!messages.some((message) => message.channel === channel && message.ts === ts)) {
        return fail('message_not_found');
      }
      return ok({ channel, permalink: `https://fake.slack.com/archives/${channel}/p${ts.replace('.', '')}` });
    },
    'conversations.open': (body) => {
      const [user] = String(body.users ?? '').split(',');
      return user ? ok({ channel: { id: dmChannelIdFor(user) } }) : fail('users_list_not_supplied');
    },
  };

  /** One page of a history answer: `oldest`, `limit` and `cursor` as Slack reads them. */
  const page = (body: Record<string, unknown>, found: FakeSlackMessage[]): Reply => {
    const oldest = Number(body.oldest ?? 0);
    const limit = Number(body.limit ?? 100);
    const start = Number(body.cursor ?? 0);
    const withMetadata = String(body.include_all_metadata) === 'true';
    const inRange = found.filter((message) => Number(message.ts) > oldest);
    const next = start + limit < inRange.length ? String(start + limit) : '';
    return ok({
      messages: inRange.slice(start, start + limit).map(({ channel: _channel, metadata, ...message }) => ({
        type: 'message',
        ...message,
        ...(withMetadata && metadata !== undefined ? { metadata } : {}),
      })),
      has_more: next !== '',
      response_metadata: { next_cursor: next },
    });
  };

  /**
   * "You can use a response_url to respond up to 5 times within 30 minutes"
   * (https://api.slack.com/interactivity/handling#message_responses). Past either, this fake
   * answers 404 with `used_url` or `expired_url`: the body is ours, the refusal Slack's.
   */
  const respond = (path: string, body: Record<string, unknown> | undefined): Reply => {
    const minted = responseUrls.get(path);
    const refusal = !minted
      ? 'no_such_url'
      : minted.uses >= 5
        ? 'used_url'
        : now() - minted.mintedAt > 30 * 60_000
          ? 'expired_url'
          : body === undefined
            ? 'invalid_payload'
            : undefined;
    if (minted && refusal === undefined) minted.uses += 1;
    const status = refusal === undefined ? 200 : refusal === 'invalid_payload' ? 400 : 404;
    responses.push({ url: path, body: body ?? {}, status });
    return refusal === undefined ? ok({}) : { status, body: refusal };
  };

  const webhook = (path: string, body: Record<string, unknown> | undefined): Reply => {
    if (!body) return { status: 400, body: 'invalid_payload' };
    const wait = rateLimitWait(path);
    return wait === undefined ? { status: 200, body: 'ok' } : tooMany(wait, 'rate_limited');
  };

  const scriptedReply = (answer: Exclude<FakeAnswer, { hang: true } | { lostAnswer: true }>): Reply => {
    if ('error' in answer) return fail(answer.error);
    const body =
      answer.body ?? (answer.status === 429 ? { ok: false, error: 'ratelimited' } : 'fake failure');
    const retryAfter = answer.retryAfterSeconds;
    return {
      status: answer.status,
      body,
      headers: retryAfter === undefined ? {} : { 'retry-after': String(retryAfter) },
    };
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    if (down) {
      refusedCount += 1;
      if (down === 'unavailable') return send(res, { status: 503, body: 'service unavailable' });
      return void req.socket.destroy();
    }
    const path = req.url ?? '/';
    const method = path.startsWith('/webhook/')
      ? 'webhook'
      : path.startsWith('/commands/')
        ? 'response_url'
        : path.match(/^\/api\/([\w.]+)/)?.[1];
    const body = parseBody(await readBody(req), req.headers['content-type']);
    if (req.method !== 'POST' || !method) return send(res, { status: 404, body: 'not_found' });
    arrivedAt = now();
    const call = { method, path, body: body ?? {}, authorization: req.headers.authorization };
    arrivals.set(call, arrivedAt);
    calls.push(call);
    if (isWebApi(method) && !carriesToken(req, body)) return send(res, fail('not_authed'));
    const answer = scripted.get(method)?.shift();
    if (answer && 'hang' in answer) return;
    if (answer && 'lostAnswer' in answer) {
      methods[method]?.(body ?? {});
      return void req.socket.destroy();
    }
    const reply = answer
      ? scriptedReply(answer)
      : method === 'webhook'
        ? webhook(path, body)
        : method === 'response_url'
          ? respond(path, body)
          : (methods[method]?.(body ?? {}) ?? fail('unknown_method'));
    if (reply.status === 429) rateLimitedCount += 1;
    statuses.set(call, reply.status);
    if (options.latencyMs && isWebApi(method)) await delay(options.latencyMs);
    send(res, reply);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => send(res, { status: 500, body: String(error) }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url: `${base}/api/`,
    webhookUrl: `${base}/webhook/T0FAKE/B0FAKE/not-a-real-secret`,
    calls,
    messages,
    callsTo: (method) => calls.filter((call) => call.method === method),
    users,
    channels,
    answerNext(method, ...answers) {
      scripted.set(method, [...(scripted.get(method) ?? []), ...answers]);
    },
    get rateLimitedCount() {
      return rateLimitedCount;
    },
    get refusedCount() {
      return refusedCount;
    },
    receivedAt(record) {
      const at = arrivals.get(record);
      if (at === undefined) throw new Error('not a call or message of this fake Slack');
      return at;
    },
    statusOf: (call) => statuses.get(call),
    setDown(value) {
      down = value;
    },
    channelIdFor,
    responseUrl() {
      // Slack's have the form https://hooks.slack.com/commands/<team>/<id>/<secret>.
      const path = `/commands/T0FAKE/${responseUrls.size + 1}/${randomBytes(12).toString('hex')}`;
      responseUrls.set(path, { mintedAt: now(), uses: 0 });
      return `${base}${path}`;
    },
    responses,
    close() {
      server.closeAllConnections();
      return new Promise((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
    },
  };
}

const isWebApi = (method: string) => method !== 'webhook' && method !== 'response_url';

/**
 * A Web API call carries its token as a bearer in the Authorization header, or in a form body's
 * `token` field; a JSON body only in the header. Without it Slack answers `not_authed`
 * (docs.slack.dev/apis/web-api#posting_json, docs.slack.dev/changelog/2017-10-keeping-up-with-the-jsons:
 * "To make use of sending JSON on write operations, you must provide your token value using an
 * Authorization HTTP header").
 */
function carriesToken(req: IncomingMessage, body: Record<string, unknown> | undefined): boolean {
  if (/^Bearer \S+$/.test(req.headers.authorization ?? '')) return true;
  const isJson = req.headers['content-type']?.startsWith('application/json') ?? false;
  return !isJson && typeof body?.token === 'string' && body.token !== '';
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** JSON or form-encoded (the Web API client's way); undefined when it does not parse. */
function parseBody(raw: string, contentType: string | undefined): Record<string, unknown> | undefined {
  try {
    if (contentType?.startsWith('application/json')) return JSON.parse(raw) as Record<string, unknown>;
    const fields: Record<string, unknown> = {};
    for (const [key, value] of new URLSearchParams(raw)) {
      fields[key] = JSON_ENCODED_FIELDS.has(key) ? JSON.parse(value) : value;
    }
    return fields;
  } catch {
    return undefined;
  }
}

function send(res: ServerResponse, reply: Reply): void {
  const isText = typeof reply.body === 'string';
  res.writeHead(reply.status, {
    'content-type': isText ? 'text/plain' : 'application/json',
    ...reply.headers,
  });
  res.end(isText ? reply.body : JSON.stringify(reply.body));
}
