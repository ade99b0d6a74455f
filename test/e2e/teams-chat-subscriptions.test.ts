import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TeamsCard } from '../../src/messages.js';
import {
  type ConnectorPost,
  type FakeBotConnector,
  startFakeBotConnector,
  teamsActivities,
} from '../helpers/fake-bot-connector.js';
import { type FakeCredoApi, startFakeCredoApi } from '../helpers/fake-credo-api.js';
import { fixtureEvent } from '../helpers/fixture-events.js';
import { sendSigned, TEST_SECRET } from '../helpers/signed-delivery.js';
import { eventually, startTestServer, type TestServer } from '../helpers/test-server.js';
import { cardTexts, shownInTeams, teamsCardProblems, teamsMarkup } from '../render/teams-card-problems.js';

/**
 * Issue 13 through the Teams bot, end to end: `@credo-notify subscribe ...` in a channel (an
 * activity to /api/messages, answered in the thread through the fake Bot Framework connector),
 * then signed Credo AI deliveries → the real runtime → cards in that channel, or none.
 */

const UC_X = 'UcXFraudDetection0001';
const RISK_TEAM = { id: '19:risk-general@thread.tacv2', name: 'Risk Review' };
const AI_REVIEWS = { id: '19:ai-reviews@thread.tacv2', name: 'AI reviews' };

const withUseCase = (name: string, data: Record<string, unknown> = {}) => {
  const { envelope } = fixtureEvent(name);
  return JSON.stringify({ ...envelope, data: { ...envelope.data, useCaseId: UC_X, ...data } });
};
const REVIEW = withUseCase('use_case_review_status_updated');
const TASK = withUseCase('use_case_review_task_status_updated');

let teams: FakeBotConnector;
let credo: FakeCredoApi;
let servers: TestServer[];

beforeEach(async () => {
  teams = await startFakeBotConnector();
  // Teams sends no team names in activities: the bot reads them at install (Get team details).
  teams.addTeam(RISK_TEAM);
  credo = await startFakeCredoApi();
  credo.useCases.set(UC_X, { name: 'Fraud Detection Model' });
  servers = [];
});
afterEach(async () => {
  expect(teams.mentionProblems).toEqual([]);
  await Promise.all(servers.map((server) => server.close()));
  await teams.close();
  await credo.close();
});

async function start(overrides: Record<string, unknown> = {}, storeUrl?: string): Promise<TestServer> {
  const server = await startTestServer({
    ...(storeUrl && { store: { url: storeUrl } }),
    credo: {
      auth: { method: 'svix', secrets: [TEST_SECRET] },
      eventTypePrefix: 'CredoAI',
      eventTypeSuffix: 'v1',
      api: { url: credo.url, tenant: credo.tenant, token: credo.token },
    },
    teams: { allowUnauthenticated: true },
    destinations: { 'risk-team': { teams: { conversation: 'risk-review/general' } } },
    routes: [
      {
        name: 'comments to risk',
        match: { events: ['use_case_review_comment'], useCases: ['Other'] },
        to: ['risk-team'],
      },
    ],
    mentions: { directMessages: { taggedUsers: false, taskAssignees: false } },
    ...overrides,
  });
  servers.push(server);
  return server;
}

async function toBot(server: TestServer, activity: Record<string, unknown>): Promise<void> {
  const answer = await fetch(`${server.baseUrl}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: 'Bearer anonymous' },
    body: JSON.stringify(activity),
  });
  expect(answer.status).toBe(200);
}

function cardOf(post: ConnectorPost | undefined): TeamsCard {
  const [attachment] = (post?.body.attachments ?? []) as Array<{ content: TeamsCard }>;
  if (!attachment) throw new Error('no card');
  return attachment.content;
}
const shown = (card: TeamsCard) => cardTexts(card).map(shownInTeams).join('\n');

/** `@credo-notify <text>` in a channel of the Risk Review team; the bot's answer in that thread. */
async function say(
  server: TestServer,
  text: string,
  channel: { id: string; name?: string } = AI_REVIEWS,
): Promise<string> {
  const activity = teamsActivities.mentionedInChannel(teams.serviceUrl, RISK_TEAM, channel, text);
  const before = teams.postsIn(channel.id).length;
  await toBot(server, activity);
  const answer = teams.postsIn(channel.id).slice(before);
  expect(answer).toHaveLength(1);
  // In the thread of the message that asked, as a valid card whose words stay words.
  expect(answer[0]?.thread).toBe(activity.id);
  const card = cardOf(answer[0]);
  expect(teamsCardProblems(card)).toEqual([]);
  expect(teamsMarkup(card)).toEqual([]);
  return shown(card);
}

async function deliver(server: TestServer, ...bodies: string[]): Promise<void> {
  for (const body of bodies) expect((await sendSigned(server.webhookUrl, body)).status).toBe(200);
  await eventually(async () =>
    expect(await server.runtime.store.stats()).toMatchObject({ pending: 0, running: 0 }),
  );
}

/** The event cards a channel got: its posts that answer no one. */
const eventCards = (channel = AI_REVIEWS) =>
  teams
    .postsIn(channel.id)
    .filter((post) => post.thread === undefined)
    .map(cardOf);

describe('subscribing from Teams (issue 13)', () => {
  it('subscribes a channel to the reviews of a use case: a review event reaches it, a task event does not; unsubscribe stops it', async () => {
    const server = await start();
    expect(await say(server, `subscribe ${UC_X} reviews`)).toContain(
      `Subscribed this conversation to reviews of Fraud Detection Model (${UC_X}).`,
    );
    await deliver(server, REVIEW, TASK);
    const cards = eventCards();
    expect(cards).toHaveLength(1);
    expect(shown(cards[0] as TeamsCard)).toContain('Review');
    expect(teamsCardProblems(cards[0] as TeamsCard)).toEqual([]);

    expect(await say(server, `unsubscribe ${UC_X}`)).toContain(
      `Unsubscribed this conversation from Fraud Detection Model (${UC_X}).`,
    );
    await deliver(server, REVIEW);
    expect(eventCards()).toHaveLength(1);
    expect(await server.runtime.chat.subscriptions.list()).toEqual([]);
  });

  it('takes a use case link, and keeps who subscribed and when', async () => {
    const server = await start();
    await say(server, `subscribe https://app.credo.ai/acme/use-cases/${UC_X} comments, tasks`);
    const [stored] = await server.runtime.chat.subscriptions.list();
    expect(stored).toMatchObject({
      platform: 'teams',
      conversationId: AI_REVIEWS.id,
      useCase: UC_X,
      useCaseName: 'Fraud Detection Model',
      events: [
        'use_case_review_comment',
        'use_case_review_task_deleted',
        'use_case_review_task_status_updated',
      ],
      by: { id: '0b1c2d3e-0000-4000-8000-000000000002', name: 'Ann Lee' },
    });
    expect(stored?.at).toBeGreaterThan(0);
  });

  it('lists the channel subscriptions and the config routes that send there, marked read-only', async () => {
    const server = await start();
    // The bot is added to the team: its General channel is `risk-review/general`, where the route sends.
    await toBot(server, teamsActivities.addedToTeam(teams.serviceUrl, RISK_TEAM));
    const general = { id: RISK_TEAM.id, name: undefined };
    await say(server, `subscribe ${UC_X} reviews`, general);
    const listed = await say(server, 'list', general);
    expect(listed).toContain('1 subscription, 1 route');
    expect(listed).toContain(`Fraud Detection Model (${UC_X}): reviews (by Ann Lee)`);
    expect(listed).toContain('route "comments to risk": use_case_review_comment of Other (read-only');
    // Another channel has none of it.
    expect(await say(server, 'list')).toContain('Nothing is sent to this conversation yet.');
  });

  it('lets a person subscriptions.allow does not name change nothing, while list stays open', async () => {
    const server = await start({ subscriptions: { allow: ['owner@acme.com', '29:someone-else'] } });
    const refused = await say(server, `subscribe ${UC_X} reviews`);
    expect(refused).toContain("You may not change this channel's subscriptions");
    expect(await server.runtime.chat.subscriptions.list()).toEqual([]);
    expect(await say(server, 'list')).toContain('Nothing is sent');
    await deliver(server, REVIEW);
    expect(eventCards()).toEqual([]);
  });

  it('refuses a use case Credo AI does not know, and an unknown group, storing nothing', async () => {
    const server = await start();
    expect(await say(server, 'subscribe NoSuchUseCase reviews')).toContain(
      'Credo AI knows no use case NoSuchUseCase',
    );
    expect(await say(server, `subscribe ${UC_X} reviewz`)).toContain('"reviewz" is no group or event type');
    expect(await server.runtime.chat.subscriptions.list()).toEqual([]);
  });

  it('names a use case by what Credo AI calls it, shown as text: no link, mention or markup of it acts', async () => {
    const hostile = '[Reset password](https://evil.example) <at>Everyone</at> **now** "}]';
    credo.useCases.set('UcHostileName000001', { name: hostile });
    const server = await start();
    // say() checks that the card is valid and carries no markup at all.
    expect(await say(server, 'subscribe UcHostileName000001')).toContain(hostile);
  });

  it('still answers help and status, and help lists the new commands', async () => {
    const server = await start();
    const help = await say(server, 'help');
    expect(help).toContain('subscribe');
    expect(help).toContain('status');
    expect(await say(server, 'status')).toContain(
      'No destination of the config names this conversation yet.',
    );
  });
});

describe('personal preferences from Teams (issue 13)', () => {
  const JOHN = {
    credoId: 'MMC8qELwNoq9V27Y2cvqHf',
    email: 'john.doe@acme.com',
    teams: { id: '29:john', name: 'John Doe', aadObjectId: '0b1c2d3e-0000-4000-8000-000000000011' },
    chat: 'a:1personal-chat-john',
  };
  /** The sample comment tags John; Steven writes it, so John is owed a DM. */
  const COMMENT_TAGGING_JOHN = withUseCase('use_case_review_comment', {
    user: {
      userId: 'StevenSmith00000000000',
      email: 'steven@credo.ai',
      givenName: 'Steven',
      familyName: 'Smith',
    },
  });

  async function startWithJohn(): Promise<TestServer> {
    credo.users.set(JOHN.credoId, { email: JOHN.email, given_name: 'John', family_name: 'Doe' });
    teams.members.set(JOHN.teams.id, { ...JOHN.teams, email: JOHN.email, userPrincipalName: JOHN.email });
    const server = await start({ mentions: {} });
    await toBot(server, teamsActivities.installedForPerson(teams.serviceUrl, JOHN.teams, JOHN.chat));
    return server;
  }
  /** John writes to the bot in his personal chat; its answer there. */
  async function johnSays(server: TestServer, text: string): Promise<string> {
    const before = teams.postsIn(JOHN.chat).length;
    await toBot(server, teamsActivities.messageInPersonalChat(teams.serviceUrl, JOHN.teams, JOHN.chat, text));
    const [answer, ...more] = teams.postsIn(JOHN.chat).slice(before);
    expect(more).toEqual([]);
    return shown(cardOf(answer));
  }
  const dmsToJohn = () =>
    teams.postsIn(JOHN.chat).filter((post) => JSON.stringify(post.body).includes('mentioned you'));

  it('stops his direct messages after `me dm off`, and they come back after `me dm on`', async () => {
    const server = await startWithJohn();
    await deliver(server, COMMENT_TAGGING_JOHN);
    expect(dmsToJohn()).toHaveLength(1);

    expect(await johnSays(server, 'me dm off')).toContain(
      "Direct messages off: I won't write to you directly",
    );
    await deliver(server, COMMENT_TAGGING_JOHN);
    expect(dmsToJohn()).toHaveLength(1);
    expect(await johnSays(server, 'me')).toContain('Direct messages: off.');

    await johnSays(server, 'me dm on');
    await deliver(server, COMMENT_TAGGING_JOHN);
    expect(dmsToJohn()).toHaveLength(2);
  });

  it('stores quiet hours for the reader of issue 14, and refuses a malformed time zone, storing nothing', async () => {
    const server = await startWithJohn();
    expect(await johnSays(server, 'me quiet 19:00-08:00 Europe/Berlin')).toContain(
      'Quiet hours set: 19:00-08:00 Europe/Berlin.',
    );
    expect(await johnSays(server, 'me quiet 22:00-07:00 Europe/Atlantis')).toContain(
      '"Europe/Atlantis" is no IANA time zone',
    );
    expect(
      await server.runtime.chat.preferences.latestOf({
        platform: 'teams',
        chatUserId: JOHN.teams.aadObjectId,
      }),
    ).toEqual({
      dm: 'on',
      quiet: { from: '19:00', to: '08:00', timezone: 'Europe/Berlin' },
    });
  });

  it('keeps subscriptions to channels: a personal chat gets none', async () => {
    const server = await startWithJohn();
    expect(await johnSays(server, `subscribe ${UC_X}`)).toContain('Subscriptions belong to a channel');
    expect(await server.runtime.chat.subscriptions.list()).toEqual([]);
  });
});
