import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TeamsCard } from '../../src/messages.js';
import {
  type ConnectorPost,
  type FakeBotConnector,
  startFakeBotConnector,
  teamsActivities,
} from '../helpers/fake-bot-connector.js';
import { type FakeCredoApi, startFakeCredoApi } from '../helpers/fake-credo-api.js';
import { loadFixtureEvents } from '../helpers/fixture-events.js';
import { sendSigned, TEST_SECRET } from '../helpers/signed-delivery.js';
import { eventually, startTestServer, type TestServer } from '../helpers/test-server.js';
import { cardTexts, mentionEntities, teamsCardProblems, teamsMarkup } from '../render/teams-card-problems.js';

/**
 * Issue #5, end to end: people install the bot for themselves in Teams (an activity to
 * /api/messages, their profile read from the fake connector), then signed review events over
 * HTTP → the real runtime (SQLite) → a DM card in their personal chat, through the fake Bot
 * Framework connector, with a fake Credo AI API that knows the people and the use case.
 */

const fixtures = loadFixtureEvents();
const fixture = (name: string) => {
  const found = fixtures.find((event) => event.name === name);
  if (!found) throw new Error(`no fixture ${name}`);
  return found.envelope;
};
const comment = fixture('use_case_review_comment');
const task = fixture('use_case_review_task_status_updated');

const USE_CASE = String(comment.data.useCaseId);
const REVIEW = String(comment.data.reviewId);
const APP_URL = 'https://app.credo.ai/acme';
const RISK_TEAM = { id: '19:risk-general@thread.tacv2', name: 'Risk Review' };

/** A Credo AI user, and who they are in Teams when they installed the app for themselves. */
interface Someone {
  credoId: string;
  name: string;
  email: string;
  teams: { id: string; name: string; aadObjectId: string };
  /** Their personal chat with the bot, once installed. */
  chat: string;
}
const someone = (credoId: string, name: string, email: string, n: number): Someone => ({
  credoId,
  name,
  email,
  teams: {
    id: `29:${name.split(' ')[0]?.toLowerCase()}`,
    name,
    aadObjectId: `0b1c2d3e-0000-4000-8000-00000000001${n}`,
  },
  chat: `a:1personal-chat-${n}`,
});
// John is the one the fixture comment tags.
const JOHN = someone('MMC8qELwNoq9V27Y2cvqHf', 'John Doe', 'john.doe@acme.com', 1);
const JANE = someone('J4neRoeReviewer0000000', 'Jane Roe', 'jane.roe@acme.com', 2);
/** Known to Credo AI without an email: only the config says who she is in Teams. */
const ANN = someone('AnnLeeNoEmail000000000', 'Ann Lee', 'ann@acme.onmicrosoft.com', 3);
/** The task fixture's actor, assignee and assigner. */
const STEVEN = someone(String(task.data.assignedUserId), 'Steven Smith', 'steven@credo.ai', 4);

const mention = (person: Someone) => `@[${person.name}](users:${person.credoId})`;
const asEnvelope = (
  envelope: { type: string; data: Record<string, unknown> },
  data: Record<string, unknown>,
) => JSON.stringify({ ...envelope, data: { ...envelope.data, ...data } });
/** The fixture comment, written by Steven, tagging `people`. */
const commentBySteven = (people: Someone[], text = 'can you check the bias report?') =>
  asEnvelope(comment, {
    user: { userId: STEVEN.credoId, email: STEVEN.email, givenName: 'Steven', familyName: 'Smith' },
    comment: `${people.map(mention).join(' and ')}, ${text}`,
    taggedUsers: people.map((person) => ({ user: person.name, user_id: person.credoId })),
  });

let teams: FakeBotConnector;
let credo: FakeCredoApi;
let server: TestServer | undefined;
let logs: Array<Record<string, unknown>>;

beforeEach(async () => {
  teams = await startFakeBotConnector();
  teams.addTeam(RISK_TEAM);
  credo = await startFakeCredoApi();
  logs = [];
  for (const person of [JOHN, JANE, STEVEN]) {
    const [givenName, familyName] = person.name.split(' ');
    credo.users.set(person.credoId, { email: person.email, given_name: givenName, family_name: familyName });
  }
  credo.users.set(ANN.credoId, { given_name: 'Ann', family_name: 'Lee' });
  for (const useCase of [USE_CASE, String(task.data.useCaseId)])
    credo.useCases.set(useCase, { name: 'Credit scoring' });
  for (const person of [JOHN, JANE, ANN, STEVEN]) {
    // Teams gives the profile of a personal chat's member: email and UPN.
    teams.members.set(person.teams.id, {
      ...person.teams,
      email: person.email,
      userPrincipalName: person.email,
    });
  }
});
afterEach(async () => {
  // Every card written, to the channel or to a person, pings whom it names.
  expect(teams.mentionProblems).toEqual([]);
  await server?.close();
  server = undefined;
  await teams.close();
  await credo.close();
});

async function start(mentions: Record<string, unknown> = {}): Promise<TestServer> {
  server = await startTestServer(
    {
      credo: {
        auth: { method: 'svix', secrets: [TEST_SECRET] },
        eventTypePrefix: 'CredoAI',
        eventTypeSuffix: 'v1',
        appUrl: APP_URL,
        api: { url: credo.url, tenant: credo.tenant, token: credo.token },
      },
      teams: { allowUnauthenticated: true },
      destinations: { 'risk-team': { teams: { conversation: 'risk-review/general' } } },
      routes: [{ match: { events: ['use_case_review_*'] }, to: ['risk-team'] }],
      mentions,
    },
    { onLog: (line) => logs.push(line) },
  );
  await toBot(server, teamsActivities.addedToTeam(teams.serviceUrl, RISK_TEAM));
  return server;
}

async function toBot(running: TestServer, activity: Record<string, unknown>) {
  const answer = await fetch(`${running.baseUrl}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: 'Bearer anonymous' },
    body: JSON.stringify(activity),
  });
  expect(answer.status).toBe(200);
}

/** They install the app for themselves; the bot greets them in their new personal chat. */
async function installFor(running: TestServer, person: Someone) {
  await toBot(running, teamsActivities.installedForPerson(teams.serviceUrl, person.teams, person.chat));
  expect(teams.postsIn(person.chat)).toHaveLength(1);
}

async function deliver(running: TestServer, ...bodies: string[]) {
  for (const body of bodies) expect((await sendSigned(running.webhookUrl, body)).status).toBe(200);
  // Every job finished, sent or not: nothing more will reach Teams.
  await eventually(async () =>
    expect(await running.runtime.store.stats()).toMatchObject({ pending: 0, running: 0 }),
  );
}

function cardOf(post: ConnectorPost | undefined): TeamsCard {
  const [attachment] = (post?.body.attachments ?? []) as Array<{ content: TeamsCard }>;
  if (!attachment) throw new Error('no card');
  return attachment.content;
}
/** The cards credo-notify wrote to someone, after the greeting. */
const dmsTo = (person: Someone) => teams.postsIn(person.chat).slice(1).map(cardOf);
/** The one card written to someone, valid as Teams would parse it. */
function onlyDmTo(person: Someone): TeamsCard {
  const cards = dmsTo(person);
  expect(cards).toHaveLength(1);
  const [card = {} as TeamsCard] = cards;
  expect(teamsCardProblems(card)).toEqual([]);
  return card;
}
const shown = (card: TeamsCard) => cardTexts(card).join('\n');
const links = (card: TeamsCard) => JSON.stringify(card).match(/https:\/\/[^"\s)]+/g) ?? [];
const notReachedLogs = () =>
  logs
    .filter((line) => String(line.msg).startsWith('direct message not sent'))
    .map((line) => ({
      destination: line.destination,
      msg: line.msg,
    }));

describe('direct messages in Microsoft Teams (issue #5)', () => {
  it('writes to a tagged person in their personal chat: the comment, its author, the use case and a link', async () => {
    const running = await start();
    await installFor(running, JOHN);

    // What a Credo AI user writes is shown, never acted on: no link, mention or card syntax.
    const hostile =
      'can you check the bias report? [Reset password](https://evil.example) <at>Everyone</at> "}]';
    await deliver(running, commentBySteven([JOHN], hostile));

    const dm = onlyDmTo(JOHN);
    expect(shown(dm)).toContain('💬 **Steven Smith** mentioned you in a comment on the review of');
    expect(shown(dm)).toContain('Credit scoring');
    expect(shown(dm)).toContain('can you check the bias report?');
    expect(links(dm)).toContain(`${APP_URL}/use-cases/${USE_CASE}/reviews/${REVIEW}`);
    expect(teamsMarkup(dm)).toEqual([
      `[Credit scoring](${APP_URL}/use-cases/${USE_CASE})`,
      '<at>John Doe</at>',
    ]);
    // A plain message in the chat, not a reply to the greeting.
    expect(teams.postsIn(JOHN.chat)[1]).toMatchObject({
      method: 'POST',
      thread: undefined,
      activityId: undefined,
    });
    // The channel gets the comment as well, pinging John by his Entra object id (never the bot's 29: id).
    const [channelCard] = teams.postsIn(RISK_TEAM.id).slice(1).map(cardOf);
    expect(shown(channelCard ?? ({} as TeamsCard))).toContain('bias report');
    expect(mentionEntities(channelCard ?? ({} as TeamsCard))).toEqual([
      {
        type: 'mention',
        text: '<at>John Doe</at>',
        mentioned: { id: JOHN.teams.aadObjectId, name: 'John Doe' },
      },
    ]);
  });

  it('reaches someone known only through mentions.users, by the UPN they installed the app with', async () => {
    const running = await start({ users: { [ANN.credoId]: { teams: ANN.email } } });
    await installFor(running, ANN);

    await deliver(running, commentBySteven([ANN]));

    expect(shown(onlyDmTo(ANN))).toContain('mentioned you');
    expect(await running.runtime.store.listJobs({ state: 'dead' })).toEqual([]);
  });

  it('sends nothing to a tagged person without a personal chat, says so in the log, and dead-letters nothing', async () => {
    // Jane is found by email but never installed the app; Bob is named in the config only.
    const BOB = someone('B0bNoInstall0000000000', 'Bob Stone', 'bob@acme.com', 5);
    const running = await start({ users: { [BOB.credoId]: { teams: BOB.email } } });
    await installFor(running, JOHN);

    await deliver(running, commentBySteven([JOHN, JANE, BOB]));

    onlyDmTo(JOHN);
    const chats = new Set(teams.posts.map((post) => post.conversationId));
    expect([...chats].sort()).toEqual([JOHN.chat, RISK_TEAM.id].sort());
    expect(await running.runtime.store.listJobs({ state: 'dead' })).toEqual([]);
    // Each person's message is a job of its own, and they run side by side: in either order.
    expect(notReachedLogs()).toHaveLength(2);
    expect(notReachedLogs()).toEqual(
      expect.arrayContaining([
        {
          destination: `dm:teams:${JANE.credoId}`,
          msg: 'direct message not sent: no teams user found for this person',
        },
        {
          destination: `dm:teams:${BOB.credoId}`,
          msg: `direct message not sent: Teams user ${BOB.email} cannot be reached: they have no personal chat with the bot and are in no team it is installed in`,
        },
      ]),
    );
  });

  it('reaches a member of the team the app is installed in, who never installed it for themselves (issue #11)', async () => {
    // Jane is in the team's roster, which the bot reads at install; she has no personal chat.
    const roster = { ...JANE.teams, email: JANE.email, userPrincipalName: JANE.email };
    teams.addTeam(RISK_TEAM, { members: [roster] });
    const running = await start();

    await deliver(running, commentBySteven([JANE]));

    // The bot opened the 1:1 chat with her (POST /v3/conversations), then wrote there.
    const chat = teams.createdConversations.get(JANE.teams.id) ?? '';
    expect(teams.requests).toContain('POST /v3/conversations');
    const [card] = teams.postsIn(chat).map(cardOf);
    expect(card && teamsCardProblems(card)).toEqual([]);
    expect(shown(card ?? ({} as TeamsCard))).toContain('can you check the bias report?');
    expect(await running.runtime.store.listJobs({ state: 'dead' })).toEqual([]);
    expect(notReachedLogs()).toEqual([]);
  });

  it('reaches someone who joins the team after the install, and not while they are out of it (issue #11)', async () => {
    const running = await start();
    teams.addTeam(RISK_TEAM, {
      members: [{ ...JANE.teams, email: JANE.email, userPrincipalName: JANE.email }],
    });
    const joined = teamsActivities.memberJoinedTeam(teams.serviceUrl, RISK_TEAM, JANE.teams);
    // Jane joins and leaves again: Teams says who by id; her profile comes from the roster.
    await toBot(running, joined);
    await toBot(running, teamsActivities.memberLeftTeam(teams.serviceUrl, RISK_TEAM, JANE.teams));
    await deliver(running, commentBySteven([JANE]));
    expect(teams.createdConversations.size).toBe(0);
    expect(notReachedLogs()).toEqual([
      {
        destination: `dm:teams:${JANE.credoId}`,
        msg: 'direct message not sent: no teams user found for this person',
      },
    ]);

    // She joins for good: the next message opens the chat with her.
    await toBot(running, joined);
    await deliver(running, commentBySteven([JANE], 'and the fairness report?'));
    const chat = teams.createdConversations.get(JANE.teams.id) ?? '';
    const [card] = teams.postsIn(chat).map(cardOf);
    expect(shown(card ?? ({} as TeamsCard))).toContain('and the fairness report?');
  });

  it('reaches someone at once when they install the app after an earlier message could not', async () => {
    const running = await start();
    await deliver(running, commentBySteven([JANE]));
    expect(notReachedLogs()).toHaveLength(1);

    await installFor(running, JANE);
    await deliver(running, commentBySteven([JANE]));

    onlyDmTo(JANE);
  });

  it('stops writing to someone who removes the app', async () => {
    const running = await start();
    await installFor(running, JOHN);
    await deliver(running, commentBySteven([JOHN]));
    const removed = teamsActivities.installedForPerson(teams.serviceUrl, JOHN.teams, JOHN.chat);
    await toBot(running, { ...removed, action: 'remove' });

    await deliver(running, commentBySteven([JOHN]));

    onlyDmTo(JOHN);
    expect(notReachedLogs()).toHaveLength(1);
    expect(await running.runtime.store.listJobs({ state: 'dead' })).toEqual([]);
  });

  it('tells the assignee of a task of its change, unless they made it themselves', async () => {
    const running = await start();
    await installFor(running, JOHN);
    await installFor(running, STEVEN);
    const johnsTask = (by: Someone) =>
      asEnvelope(task, {
        assignedUserId: JOHN.credoId,
        assignerId: STEVEN.credoId,
        user: { userId: by.credoId, email: by.email },
      });

    // The fixture: Steven finishing his own task. Then Steven, then John, changing John's.
    await deliver(running, JSON.stringify(task), johnsTask(STEVEN), johnsTask(JOHN));

    expect(dmsTo(STEVEN)).toEqual([]);
    const dm = onlyDmTo(JOHN);
    expect(shown(dm)).toContain('your review task on');
    expect(shown(dm)).toContain('Credit scoring');
    expect(shown(dm)).toContain('by **Steven Smith**');
    expect(links(dm)).toContain(`${APP_URL}/use-cases/${task.data.useCaseId}/reviews/${task.data.reviewId}`);
  });
});
