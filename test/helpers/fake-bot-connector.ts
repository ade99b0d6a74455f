import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { text } from 'node:stream/consumers';
import { mentionPairingProblems } from '../render/teams-card-problems.js';

/**
 * A fake Microsoft Teams on 127.0.0.1: the Bot Framework connector a bot posts to (its URL is
 * the `serviceUrl` of the activities Teams sends the bot), and Teams Workflows webhooks. Every
 * request is recorded; answers can be scripted ahead.
 */
export interface FakeBotConnector {
  /** What Teams puts in `serviceUrl`, ending in `/`. */
  serviceUrl: string;
  /** A Teams Workflows webhook URL, its `sig` included as the real ones carry it. */
  workflowUrl: string;
  /** Messages posted (or updated) through the connector, in order. */
  posts: ConnectorPost[];
  /** Posts to one conversation: a channel's, threads included (`thread` tells them apart). */
  postsIn(conversationId: string): ConnectorPost[];
  /** Bodies posted to the workflow webhook. */
  workflowPosts: Array<Record<string, unknown>>;
  /**
   * The workflow posts whose card the Flow bot would show as "We're sorry, this card couldn't be
   * displayed": answered 202 all the same, as the real webhook does, so only this tells.
   */
  workflowUndisplayable: Array<{ body: Record<string, unknown>; reason: string }>;
  /** Every request, for counting: `POST /v3/...`. */
  requests: string[];
  /** Calls answered 429 because a rate window was full. */
  throttled: number;
  /** Posted cards whose `<at>` tags and mention entities do not pair up: Teams would not ping. */
  mentionProblems: string[];
  /** Profiles `GET /v3/conversations/{id}/members/{user id}` answers with, by user id. */
  members: Map<string, Record<string, unknown>>;
  /**
   * Teams this Teams knows, by team id: what `GET /v3/teams/{id}`, `/v3/teams/{id}/conversations`
   * and `/v3/conversations/{id}/pagedmembers` answer, and whom a bot may open a 1:1 chat with.
   */
  teams: Map<string, FakeTeam>;
  /** The 1:1 conversations bots created (`POST /v3/conversations`), by the member's id. */
  createdConversations: Map<string, string>;
  /** Makes a team known to the Teams APIs: its name, channels and roster. */
  addTeam(team: { id: string; name: string }, more?: Partial<Omit<FakeTeam, 'name'>>): void;
  /** Answers the next connector posts (or workflow posts, with `workflow`) with these, in order. */
  answerNext(...answers: ConnectorAnswer[]): void;
  answerNextWorkflow(...answers: ConnectorAnswer[]): void;
  close(): Promise<void>;
}

/** A team as the Teams APIs describe it. The General channel's id is the team's. */
export interface FakeTeam {
  name: string;
  /** Channels besides General. */
  channels: Array<{ id: string; name: string }>;
  /** The roster: `{id: '29:…', name, aadObjectId, email, userPrincipalName}`. */
  members: Array<Record<string, unknown> & { id: string }>;
}

export interface ConnectorPost {
  method: 'POST' | 'PUT';
  /** The conversation id of the URL, decoded, thread suffix removed. */
  conversationId: string;
  /** The root activity id of the thread replied in (`…;messageid=<root>`). */
  thread: string | undefined;
  /** `/activities/{id}`: the activity replied to (POST) or replaced (PUT). */
  activityId: string | undefined;
  /** The id this fake gave the posted activity. */
  id: string;
  /** When it arrived, by the clock the rate windows count by. */
  at: number;
  body: Record<string, unknown>;
}

export type ConnectorAnswer =
  | { status: number; code?: string; retryAfterSeconds?: number }
  /** Never answers (until close): a hung connector. */
  | { hang: true };

export interface FakeConnectorOptions {
  /**
   * The windows Teams counts a bot's calls in, per conversation: 7 per 1 s, 8 per 2 s, 60 per
   * 30 s, 1,800 per hour, every call counted; past one, 429 with Retry-After
   * (https://learn.microsoft.com/microsoftteams/platform/bots/how-to/rate-limit). Tests that
   * scale the bot's windows down scale these with them. None: no limit.
   */
  rateWindows?: ReadonlyArray<{ limit: number; perMs: number }>;
  /**
   * Whether a bearer token is one Entra issued to the bot. Given, every call without such a
   * token gets 401, as the real connector answers an unauthenticated bot
   * (https://learn.microsoft.com/azure/bot-service/rest-api/bot-framework-rest-connector-authentication).
   */
  acceptsToken?: (token: string | undefined) => boolean;
  /** The time the rate windows count by: the test's clock, when a test moves time itself. */
  now?: () => number;
}

export async function startFakeBotConnector(options: FakeConnectorOptions = {}): Promise<FakeBotConnector> {
  const posts: ConnectorPost[] = [];
  const workflowPosts: Array<Record<string, unknown>> = [];
  const workflowUndisplayable: FakeBotConnector['workflowUndisplayable'] = [];
  const requests: string[] = [];
  const members = new Map<string, Record<string, unknown>>();
  const teams = new Map<string, FakeTeam>();
  const createdConversations = new Map<string, string>();
  const scripted: ConnectorAnswer[] = [];
  const scriptedWorkflow: ConnectorAnswer[] = [];
  let activityCount = 0;
  const windows = createRateWindows(options.rateWindows ?? [], options.now ?? Date.now);

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://fake');
    const raw = await text(req);
    requests.push(`${req.method} ${url.pathname}`);
    const isWorkflow = url.pathname.startsWith('/workflows/');
    if (!isWorkflow && options.acceptsToken && !options.acceptsToken(bearerOf(req))) {
      return send(res, 401, { message: 'Authorization has been denied for this request.' });
    }
    if (req.method === 'POST' && isWorkflow) {
      const answer = scriptedWorkflow.shift();
      if (answer && 'hang' in answer) return;
      if (answer) return sendError(res, answer);
      const body = JSON.parse(raw) as Record<string, unknown>;
      workflowPosts.push(body);
      for (const card of cardsIn(body)) fake.mentionProblems.push(...mentionPairingProblems(card));
      const reason = undisplayableByFlowBot(body);
      if (reason) workflowUndisplayable.push({ body, reason });
      return send(res, 202, undefined);
    }
    // A channel's threads are counted with the channel (the stricter reading of Teams' table),
    // and a team's API calls with its General channel, whose id is the team's.
    const conversation = url.pathname.match(/^\/v3\/(?:conversations|teams)\/([^/]+)/)?.[1];
    const retryAfterMs =
      conversation === undefined ? 0 : windows.admit(decodeURIComponent(conversation).split(';')[0] ?? '');
    if (retryAfterMs > 0) {
      fake.throttled += 1;
      return sendError(res, { status: 429, retryAfterSeconds: Math.ceil(retryAfterMs / 1000) });
    }
    const teamAnswer = answerTeamsApi(req.method ?? '', url, raw, teams, createdConversations);
    if (teamAnswer) return send(res, teamAnswer.status, teamAnswer.body);
    const member = url.pathname.match(/^\/v3\/conversations\/([^/]+)\/members\/([^/]+)$/);
    if (req.method === 'GET' && member) {
      // A personal chat's member, or a team's (GET /v3/conversations/{team id}/members/{user id}).
      const userId = decodeURIComponent(member[2] ?? '');
      const roster = teams.get(decodeURIComponent(member[1] ?? ''))?.members;
      const profile = members.get(userId) ?? roster?.find((someone) => someone.id === userId);
      return profile
        ? send(res, 200, profile)
        : send(res, 404, { error: { code: 'MemberNotFoundInConversation' } });
    }
    const activity = url.pathname.match(/^\/v3\/conversations\/([^/]+)\/activities(?:\/([^/]+))?$/);
    if (!activity || (req.method !== 'POST' && req.method !== 'PUT'))
      return send(res, 404, { error: 'not_found' });
    const answer = scripted.shift();
    if (answer && 'hang' in answer) return;
    if (answer) return sendError(res, answer);
    const [conversationId, thread] = decodeURIComponent(activity[1] ?? '').split(';messageid=');
    const activityId = activity[2] === undefined ? undefined : decodeURIComponent(activity[2]);
    // Teams' status codes for bot calls: 413 MessageSizeTooBig past about 28 KB, and 404
    // ActivityNotFoundInConversation for an update of a message it never had.
    // https://learn.microsoft.com/microsoftteams/platform/bots/build-conversational-capability#status-codes-from-bot-conversational-apis
    if (Buffer.byteLength(raw) > MESSAGE_SIZE_LIMIT)
      return sendError(res, { status: 413, code: 'MessageSizeTooBig' });
    if (req.method === 'PUT' && !posts.some((post) => post.id === activityId)) {
      return sendError(res, { status: 404, code: 'ActivityNotFoundInConversation' });
    }
    for (const card of cardsIn(JSON.parse(raw))) fake.mentionProblems.push(...mentionPairingProblems(card));
    activityCount += 1;
    const id =
      req.method === 'PUT' ? (activityId ?? '') : `17000000000${String(activityCount).padStart(2, '0')}`;
    posts.push({
      method: req.method,
      conversationId: conversationId ?? '',
      thread,
      activityId,
      id,
      at: (options.now ?? Date.now)(),
      body: JSON.parse(raw) as Record<string, unknown>,
    });
    return send(res, req.method === 'PUT' ? 200 : 201, { id });
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => send(res, 500, { error: String(error) }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const fake: FakeBotConnector = {
    serviceUrl: `${base}/`,
    workflowUrl: `${base}/workflows/a1b2c3/triggers/manual/paths/invoke?api-version=1&sig=not-a-real-signature`,
    posts,
    postsIn: (conversationId) => posts.filter((post) => post.conversationId === conversationId),
    workflowPosts,
    workflowUndisplayable,
    requests,
    members,
    teams,
    createdConversations,
    addTeam: (team, more = {}) =>
      teams.set(team.id, { name: team.name, channels: more.channels ?? [], members: more.members ?? [] }),
    throttled: 0,
    mentionProblems: [],
    answerNext: (...answers) => scripted.push(...answers),
    answerNextWorkflow: (...answers) => scriptedWorkflow.push(...answers),
    close() {
      server.closeAllConnections();
      return new Promise((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
    },
  };
  return fake;
}

/**
 * Sliding windows per conversation, as Teams counts: a call is admitted (and counted) unless a
 * window already holds `limit` calls younger than `perMs`; refused calls count for nothing.
 */
function createRateWindows(windows: ReadonlyArray<{ limit: number; perMs: number }>, clock: () => number) {
  const arrivals = new Map<string, number[]>();
  return {
    /** 0: admitted; otherwise how long until the fullest window has room. */
    admit(conversation: string): number {
      const now = clock();
      const seen = arrivals.get(conversation) ?? [];
      let wait = 0;
      for (const { limit, perMs } of windows) {
        const inWindow = seen.filter((at) => at > now - perMs);
        if (inWindow.length >= limit)
          wait = Math.max(wait, (inWindow[inWindow.length - limit] ?? now) + perMs - now);
      }
      if (wait === 0 && windows.length > 0)
        arrivals.set(conversation, [...seen, now].slice(-Math.max(...windows.map((w) => w.limit))));
      return wait;
    },
  };
}

/**
 * The Teams APIs a bot reads a team with, and creates a 1:1 chat with: undefined for any other
 * request. Teams gives the General channel no name (`null`, "to allow for localization"), and
 * message activities carry no team or channel name: these calls are how a bot learns them
 * (msteams-docs `bots/how-to/get-teams-context.md`, "Get the list of channels in a team" and
 * "Get details about a team"; the roster: "Get all members", `pagedmembers`). A bot may start a
 * 1:1 chat with someone in a team it is installed in ("Create the conversation", msteams-docs
 * `bots/how-to/conversations/send-proactive-messages.md`); with anyone else Teams refuses (403).
 */
function answerTeamsApi(
  method: string,
  url: URL,
  raw: string,
  teams: ReadonlyMap<string, FakeTeam>,
  created: Map<string, string>,
): { status: number; body: unknown } | undefined {
  const path = url.pathname;
  const teamPath = path.match(/^\/v3\/teams\/([^/]+)(\/conversations)?$/);
  if (method === 'GET' && teamPath) {
    const id = decodeURIComponent(teamPath[1] ?? '');
    const team = teams.get(id);
    if (!team) return { status: 404, body: { error: { code: 'NotFound', message: 'team not found' } } };
    if (teamPath[2] === undefined) return { status: 200, body: { id, name: team.name, aadGroupId: id } };
    return { status: 200, body: { conversations: [{ id, name: null }, ...team.channels] } };
  }
  const paged = path.match(/^\/v3\/conversations\/([^/]+)\/pagedmembers$/);
  if (method === 'GET' && paged) {
    const team = teams.get(decodeURIComponent(paged[1] ?? ''));
    if (!team)
      return { status: 404, body: { error: { code: 'NotFound', message: 'conversation not found' } } };
    return { status: 200, body: { members: team.members } };
  }
  if (method === 'POST' && path === '/v3/conversations') {
    const asked = JSON.parse(raw) as { members?: Array<{ id?: string }>; tenantId?: string; bot?: unknown };
    const member = asked.members?.[0]?.id ?? '';
    const known = [...teams.values()].some((team) => team.members.some((m) => m.id === member));
    if (asked.members?.length !== 1 || !asked.bot || !asked.tenantId || !known)
      return {
        status: 403,
        body: { error: { code: 'Forbidden', message: 'the bot shares no team with that user' } },
      };
    const id = created.get(member) ?? `a:1${member.replace(/\W/g, '')}-chat`;
    created.set(member, id);
    return { status: 201, body: { id } };
  }
  return undefined;
}

/**
 * Why Power Automate's Flow bot, which posts a Workflows webhook's cards, would not display this
 * body's card: it shows Adaptive Cards up to 1.4 only, and a later one as "We're sorry, this card
 * couldn't be displayed", after the webhook has answered 202 (microsoft/AdaptiveCards#8965 and
 * #7676, MicrosoftDocs/msteams-docs#9801). Undefined when it would display.
 */
function undisplayableByFlowBot(body: Record<string, unknown>): string | undefined {
  const [attachment] = (body.attachments ?? []) as Array<{ content?: { version?: unknown } }>;
  const version = String(attachment?.content?.version);
  const [major = Number.NaN, minor = Number.NaN] = version.split('.').map(Number);
  if (!(major < 1 || (major === 1 && minor <= 4))) return `card version ${version}, not 1.4 or earlier`;
  return undefined;
}

function cardsIn(activity: { attachments?: Array<{ content?: unknown }> }): Array<Record<string, unknown>> {
  return (activity.attachments ?? []).flatMap((attachment) =>
    typeof attachment.content === 'object' && attachment.content !== null
      ? [attachment.content as Record<string, unknown>]
      : [],
  );
}

function bearerOf(req: IncomingMessage): string | undefined {
  const match = /^Bearer (.+)$/.exec(req.headers.authorization ?? '');
  return match?.[1];
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, body === undefined ? {} : { 'content-type': 'application/json' });
  res.end(body === undefined ? undefined : JSON.stringify(body));
}

/** How the connector fails: an error code in the body, Retry-After on throttling. */
function sendError(
  res: ServerResponse,
  answer: { status: number; code?: string; retryAfterSeconds?: number },
): void {
  res.writeHead(answer.status, {
    'content-type': 'application/json',
    ...(answer.retryAfterSeconds === undefined ? {} : { 'retry-after': String(answer.retryAfterSeconds) }),
  });
  res.end(JSON.stringify({ error: { code: answer.code ?? 'Failure', message: 'fake failure' } }));
}

/** About 28 KB: what Teams takes in one message (msteams-docs `bots/how-to/format-your-bot-messages`). */
const MESSAGE_SIZE_LIMIT = 28_000;

/** The bot as Teams addresses it. */
export const BOT = { id: '28:credo-notify-bot', name: 'Credo AI' };
export const TENANT_ID = '72f988bf-86f1-41af-91ab-2d7cd011db47';
let channelPosts = 0;

/**
 * Activities Teams sends the bot, shaped as Teams sends them: a team or channel by its id only.
 * Teams names neither in a message or an install; only `teamRenamed` carries the team's new name
 * and `channelCreated`/`channelRenamed`/`channelDeleted` the channel's. In those `conversation.id`
 * is the team's ("Conversation id is set to team id for all other conversation update scenarios").
 * https://learn.microsoft.com/microsoftteams/platform/bots/how-to/conversations/subscribe-to-conversation-events
 */
export const teamsActivities = {
  /** The bot was added to a team: it lands in the General channel, whose id is the team's. */
  addedToTeam(serviceUrl: string, team: { id: string }, tenantId = TENANT_ID) {
    return {
      type: 'conversationUpdate',
      id: `f:${team.id}-added`,
      channelId: 'msteams',
      serviceUrl,
      from: { id: '29:installer', aadObjectId: '0b1c2d3e-0000-4000-8000-000000000001' },
      recipient: BOT,
      conversation: { id: team.id, conversationType: 'channel', isGroup: true, tenantId },
      membersAdded: [{ id: BOT.id }],
      channelData: { team: { id: team.id }, eventType: 'teamMemberAdded', tenant: { id: tenantId } },
    };
  },
  /** The bot was removed from a team. */
  removedFromTeam(serviceUrl: string, team: { id: string }, tenantId = TENANT_ID) {
    return {
      ...teamsActivities.addedToTeam(serviceUrl, team, tenantId),
      id: `f:${team.id}-removed`,
      membersAdded: undefined,
      membersRemoved: [{ id: BOT.id }],
      channelData: { team: { id: team.id }, eventType: 'teamMemberRemoved', tenant: { id: tenantId } },
    };
  },
  /** The app was uninstalled from a team: `installationUpdate` with `action: remove`. */
  uninstalledFromTeam(serviceUrl: string, team: { id: string }, tenantId = TENANT_ID) {
    return {
      ...teamsActivities.addedToTeam(serviceUrl, team, tenantId),
      type: 'installationUpdate',
      action: 'remove',
      id: `f:${team.id}-uninstalled`,
      membersAdded: undefined,
      channelData: { team: { id: team.id }, tenant: { id: tenantId } },
    };
  },
  /**
   * Someone joined the team (`teamMemberAdded`) or left it (`teamMemberRemoved`): the activity
   * gives their ids only, the rest is read from the roster.
   */
  memberJoinedTeam(serviceUrl: string, team: { id: string }, member: { id: string }, tenantId = TENANT_ID) {
    return {
      ...teamsActivities.addedToTeam(serviceUrl, team, tenantId),
      id: `f:${team.id}-${member.id}-joined`,
      from: { id: '29:team-owner' },
      membersAdded: [{ id: member.id }],
    };
  },
  memberLeftTeam(serviceUrl: string, team: { id: string }, member: { id: string }, tenantId = TENANT_ID) {
    return {
      ...teamsActivities.addedToTeam(serviceUrl, team, tenantId),
      id: `f:${team.id}-${member.id}-left`,
      from: { id: '29:team-owner' },
      membersAdded: undefined,
      membersRemoved: [{ id: member.id }],
      channelData: { team: { id: team.id }, eventType: 'teamMemberRemoved', tenant: { id: tenantId } },
    };
  },
  /** A team event: `teamRenamed` (with the new name), `teamDeleted`, or a channel's. */
  teamEvent(
    serviceUrl: string,
    eventType: 'teamRenamed' | 'teamDeleted' | 'channelRenamed' | 'channelDeleted',
    team: { id: string; name?: string },
    channel?: { id: string; name: string },
    tenantId = TENANT_ID,
  ) {
    return {
      type: 'conversationUpdate',
      id: `f:${team.id}-${eventType}`,
      channelId: 'msteams',
      serviceUrl,
      from: { id: '29:team-owner' },
      recipient: BOT,
      conversation: { id: team.id, conversationType: 'channel', isGroup: true, tenantId },
      channelData: {
        team: eventType === 'teamRenamed' ? team : { id: team.id },
        ...(channel ? { channel } : {}),
        eventType,
        tenant: { id: tenantId },
      },
    };
  },
  /** Someone @mentioned the bot in a channel post: `text` is what they wrote after the mention. */
  mentionedInChannel(
    serviceUrl: string,
    team: { id: string },
    channel: { id: string },
    text: string,
    tenantId = TENANT_ID,
  ) {
    channelPosts += 1;
    const postId = `1709900000${String(channelPosts).padStart(3, '0')}`;
    return {
      type: 'message',
      id: postId,
      channelId: 'msteams',
      serviceUrl,
      text: `<at>${BOT.name}</at> ${text}`,
      from: { id: '29:someone', name: 'Ann Lee', aadObjectId: '0b1c2d3e-0000-4000-8000-000000000002' },
      recipient: BOT,
      conversation: {
        id: `${channel.id};messageid=${postId}`,
        conversationType: 'channel',
        isGroup: true,
        tenantId,
      },
      entities: [{ type: 'mention', text: `<at>${BOT.name}</at>`, mentioned: BOT }],
      channelData: { team: { id: team.id }, channel: { id: channel.id }, tenant: { id: tenantId } },
    };
  },
  /** Someone writes to the bot in their personal chat with it: no mention there, just the text. */
  messageInPersonalChat(
    serviceUrl: string,
    person: { id: string; name: string; aadObjectId: string },
    conversationId: string,
    text: string,
    tenantId = TENANT_ID,
  ) {
    channelPosts += 1;
    return {
      type: 'message',
      id: `1709800000${String(channelPosts).padStart(3, '0')}`,
      channelId: 'msteams',
      serviceUrl,
      text,
      from: person,
      recipient: BOT,
      conversation: { id: conversationId, conversationType: 'personal', tenantId },
      channelData: { tenant: { id: tenantId } },
    };
  },
  /** The app was installed for one person: their personal chat with the bot begins. */
  installedForPerson(
    serviceUrl: string,
    person: { id: string; name: string; aadObjectId: string },
    conversationId: string,
    tenantId = TENANT_ID,
  ) {
    return {
      type: 'installationUpdate',
      action: 'add',
      id: `f:${conversationId}-installed`,
      channelId: 'msteams',
      serviceUrl,
      from: person,
      recipient: BOT,
      conversation: { id: conversationId, conversationType: 'personal', tenantId },
      channelData: { tenant: { id: tenantId } },
    };
  },
};
