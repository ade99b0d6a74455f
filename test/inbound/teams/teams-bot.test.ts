import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { systemClock } from '../../../src/clock.js';
import { configSchema } from '../../../src/config/schema.js';
import { startTeamsBot } from '../../../src/inbound/teams/start-teams-bot.js';
import type { TeamsCard } from '../../../src/messages.js';
import { openStore } from '../../../src/store/open-store.js';
import { chatCommandsOn } from '../../helpers/chat-commands.js';
import { BOT, type ConnectorPost, TENANT_ID, teamsActivities } from '../../helpers/fake-bot-connector.js';
import { TEST_SECRET } from '../../helpers/signed-delivery.js';
import { startTestServer, type TestServer } from '../../helpers/test-server.js';
import { startTeamsHarness, type TeamsHarness } from '../../notify/teams/teams-harness.js';
import { cardTexts, shownInTeams, teamsCardProblems, teamsMarkup } from '../../render/teams-card-problems.js';

const RISK_TEAM = { id: '19:risk-general@thread.tacv2', name: 'Risk Review' };
const AI_REVIEWS = { id: '19:ai-reviews@thread.tacv2', name: 'AI reviews' };

const ROUTED_HERE = {
  destinations: { 'risk-team': { teams: { conversation: 'risk-review/general' } }, audit: { console: {} } },
  routes: [
    {
      name: 'reviews',
      match: { events: ['use_case_review_*'] },
      to: ['risk-team', 'audit'],
      thread: 'review',
    },
    { name: 'everything else', match: { events: ['*'] }, to: ['audit'] },
  ],
};

function cardOf(post: ConnectorPost | undefined): TeamsCard {
  const [attachment] = (post?.body.attachments ?? []) as Array<{ content: TeamsCard }>;
  if (!attachment) throw new Error('the post carries no card');
  return attachment.content;
}

function shown(card: TeamsCard): string {
  return cardTexts(card).map(shownInTeams).join('\n');
}

/** What Teams' APIs tell of the teams (activities name none). */
function knowTeams(target: TeamsHarness): void {
  target.teams.addTeam(RISK_TEAM, { channels: [AI_REVIEWS] });
}

let harness: TeamsHarness | undefined;
let server: TestServer | undefined;
afterEach(async () => {
  await harness?.close();
  await server?.close();
  harness = undefined;
  server = undefined;
});

describe('the Teams bot, when added somewhere', () => {
  it('remembers the team’s channel and answers with its conversation id and alias', async () => {
    harness = await startTeamsHarness();
    knowTeams(harness);
    const answer = await harness.receive(teamsActivities.addedToTeam(harness.teams.serviceUrl, RISK_TEAM));

    expect(answer.status).toBe(200);
    const conversation = await harness.directory.find('risk-review/general');
    expect(conversation).toMatchObject({
      id: RISK_TEAM.id,
      kind: 'channel',
      alias: 'risk-review/general',
      name: 'General',
      teamName: 'Risk Review',
      tenantId: TENANT_ID,
      reference: { serviceUrl: harness.teams.serviceUrl, bot: BOT, conversation: { id: RISK_TEAM.id } },
    });
    expect(await harness.directory.find(RISK_TEAM.id)).toEqual(conversation);

    const [welcome] = harness.teams.posts;
    expect(welcome?.conversationId).toBe(RISK_TEAM.id);
    const card = cardOf(welcome);
    expect(teamsCardProblems(card)).toEqual([]);
    expect(shown(card)).toContain('teams: { conversation: risk-review/general }');
    expect(shown(card)).toContain(RISK_TEAM.id);
  });

  it('keeps an alias captured before <team>/<channel> naming its channel, beside the new one', async () => {
    harness = await startTeamsHarness();
    knowTeams(harness);
    // Captured by an earlier version, under the team's name alone.
    await harness.directory.remember({
      id: RISK_TEAM.id,
      kind: 'channel',
      name: 'General',
      teamName: RISK_TEAM.name,
      tenantId: TENANT_ID,
      user: null,
      reference: { serviceUrl: harness.teams.serviceUrl, bot: BOT, conversation: { id: RISK_TEAM.id } },
      aliases: ['risk-review'],
    });
    await harness.receive(
      teamsActivities.mentionedInChannel(harness.teams.serviceUrl, RISK_TEAM, RISK_TEAM, 'help'),
    );

    expect((await harness.directory.find('risk-review/general'))?.id).toBe(RISK_TEAM.id);
    expect((await harness.directory.find('risk-review'))?.id).toBe(RISK_TEAM.id);
    expect(shown(cardOf(harness.teams.posts[0]))).toContain('teams: { conversation: risk-review/general }');
  });

  it('welcomes once, though Teams announces an install twice', async () => {
    harness = await startTeamsHarness();
    knowTeams(harness);
    await harness.receive(teamsActivities.addedToTeam(harness.teams.serviceUrl, RISK_TEAM));
    await harness.receive({
      ...teamsActivities.addedToTeam(harness.teams.serviceUrl, RISK_TEAM),
      type: 'installationUpdate',
      action: 'add',
      membersAdded: undefined,
    });
    expect(harness.teams.posts).toHaveLength(1);
  });

  it('gives a second team of the same name an alias of its own', async () => {
    harness = await startTeamsHarness();
    knowTeams(harness);
    const other = { id: '19:other-general@thread.tacv2', name: 'Risk Review' };
    harness.teams.addTeam(other);
    await harness.receive(teamsActivities.addedToTeam(harness.teams.serviceUrl, RISK_TEAM));
    await harness.receive(teamsActivities.addedToTeam(harness.teams.serviceUrl, other));

    expect((await harness.directory.find('risk-review/general'))?.id).toBe(RISK_TEAM.id);
    // The namesake's General: the team's name, and its id's hash to tell them apart.
    const alias = (await harness.directory.find(other.id))?.alias ?? '';
    expect(alias).toMatch(/^risk-review-[0-9a-f]{8}\/general$/);
    expect((await harness.directory.find(alias))?.id).toBe(other.id);
  });

  it('keeps a conversation it was removed from as inactive, and says nothing there', async () => {
    harness = await startTeamsHarness();
    knowTeams(harness);
    await harness.receive(teamsActivities.addedToTeam(harness.teams.serviceUrl, RISK_TEAM));
    await harness.receive(teamsActivities.removedFromTeam(harness.teams.serviceUrl, RISK_TEAM));

    // Kept, so check and status can say why nothing arrives; nothing is posted there.
    expect((await harness.directory.find('risk-review/general'))?.inactive?.reason).toBe(
      'the bot was removed from there in Teams',
    );
    expect(harness.teams.posts).toHaveLength(1);

    // Added back: welcomed back, under the same alias.
    await harness.receive(teamsActivities.addedToTeam(harness.teams.serviceUrl, RISK_TEAM));
    expect(harness.teams.posts).toHaveLength(2);
    expect((await harness.directory.find('risk-review/general'))?.id).toBe(RISK_TEAM.id);
  });

  it('tells someone who installed it for themselves that they will get direct messages there', async () => {
    harness = await startTeamsHarness();
    knowTeams(harness);
    const ann = { id: '29:ann-lee', name: 'Ann Lee', aadObjectId: '6b3d0b7a-1111-4222-8333-944445555666' };
    await harness.receive(
      teamsActivities.installedForPerson(harness.teams.serviceUrl, ann, 'a:1chat-with-ann'),
    );

    const [welcome] = harness.teams.posts;
    expect(welcome?.conversationId).toBe('a:1chat-with-ann');
    const card = cardOf(welcome);
    expect(teamsCardProblems(card)).toEqual([]);
    expect(shown(card)).toContain('I will write to you here');
    expect(await harness.directory.find('a:1chat-with-ann')).toMatchObject({ kind: 'personal', alias: null });
  });

  it('ignores activities from another tenant than teams.tenantId', async () => {
    harness = await startTeamsHarness({ tenantId: TENANT_ID });
    knowTeams(harness);
    await harness.receive(
      teamsActivities.addedToTeam(
        harness.teams.serviceUrl,
        RISK_TEAM,
        '11111111-2222-4333-8444-555555555555',
      ),
    );
    expect(await harness.directory.find('risk-review/general')).toBeUndefined();
    expect(harness.teams.posts).toHaveLength(0);
  });

  it('keeps a hostile channel name inert in what it says', async () => {
    harness = await startTeamsHarness();
    const hostile = '<at>Everyone</at> [click](http://evil.example) {{DATE(2020-01-01T00:00:00Z)}}';
    // Teams' channel list names it so (activities carry no names).
    harness.teams.addTeam(RISK_TEAM, { channels: [{ id: AI_REVIEWS.id, name: hostile }] });
    await harness.receive(
      teamsActivities.mentionedInChannel(harness.teams.serviceUrl, RISK_TEAM, AI_REVIEWS, 'help'),
    );
    const card = cardOf(harness.teams.posts[0]);
    expect(teamsCardProblems(card)).toEqual([]);
    expect(teamsMarkup(card)).toEqual([]);
    expect(shown(card)).toContain(hostile);
  });
});

describe('the Teams bot’s commands', () => {
  it('answers help in the thread it was mentioned in, with that channel’s alias', async () => {
    harness = await startTeamsHarness();
    knowTeams(harness);
    const mention = teamsActivities.mentionedInChannel(
      harness.teams.serviceUrl,
      RISK_TEAM,
      AI_REVIEWS,
      'help',
    );
    await harness.receive(mention);

    const [reply] = harness.teams.posts;
    expect(reply).toMatchObject({
      conversationId: AI_REVIEWS.id,
      thread: mention.id,
      activityId: mention.id,
    });
    const card = cardOf(reply);
    expect(teamsCardProblems(card)).toEqual([]);
    expect(shown(card)).toContain('teams: { conversation: risk-review/ai-reviews }');
    // The channel is now a place events can go.
    expect(await harness.directory.find('risk-review/ai-reviews')).toMatchObject({
      id: AI_REVIEWS.id,
      name: 'AI reviews',
    });
  });

  it('tells which routes send here, on status', async () => {
    harness = await startTeamsHarness({ config: ROUTED_HERE });
    knowTeams(harness);
    await harness.receive(teamsActivities.addedToTeam(harness.teams.serviceUrl, RISK_TEAM));
    await harness.receive(
      teamsActivities.mentionedInChannel(harness.teams.serviceUrl, RISK_TEAM, RISK_TEAM, 'status'),
    );

    const card = cardOf(harness.teams.posts[1]);
    expect(teamsCardProblems(card)).toEqual([]);
    expect(shown(card)).toContain('1 route sends here:');
    expect(card.body).toContainEqual({
      type: 'FactSet',
      facts: [{ title: 'reviews', value: 'use_case_review_* → risk-team, threaded by review' }],
    });
  });

  it('says so when no route sends here, and how to change that', async () => {
    harness = await startTeamsHarness({ config: ROUTED_HERE });
    knowTeams(harness);
    await harness.receive(
      teamsActivities.mentionedInChannel(harness.teams.serviceUrl, RISK_TEAM, AI_REVIEWS, 'STATUS'),
    );

    const text = shown(cardOf(harness.teams.posts[0]));
    expect(text).toContain('No destination of the config names this conversation yet.');
    expect(text).toContain('teams: { conversation: risk-review/ai-reviews }');
  });

  it('answers anything else with help', async () => {
    harness = await startTeamsHarness();
    knowTeams(harness);
    await harness.receive(
      teamsActivities.mentionedInChannel(harness.teams.serviceUrl, RISK_TEAM, AI_REVIEWS, 'hello?'),
    );
    const text = shown(cardOf(harness.teams.posts[0]));
    expect(text).toContain('I don\'t know "hello?".');
    expect(text).toContain('**status**');
  });
});

describe('POST /api/messages', () => {
  /** As Teams would post it, minus the Bot Framework token. */
  const postActivity = (target: TestServer, activity: unknown) =>
    fetch(`${target.baseUrl}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(activity),
    });

  it('takes an unauthenticated activity in anonymous mode (no teams.appId)', async () => {
    harness = await startTeamsHarness();
    knowTeams(harness);
    server = await startTestServer({ teams: { allowUnauthenticated: true }, ...ROUTED_HERE });
    const response = await postActivity(
      server,
      teamsActivities.addedToTeam(harness.teams.serviceUrl, RISK_TEAM),
    );

    expect(response.status).toBe(200);
    expect(harness.teams.posts).toHaveLength(1);
  });

  it('refuses an activity without a Bot Framework token once teams.appId is set', async () => {
    harness = await startTeamsHarness();
    knowTeams(harness);
    server = await startTestServer({
      teams: {
        appId: '00000000-1111-4222-8333-444444444444',
        appPassword: 'not-a-secret',
        tenantId: TENANT_ID,
      },
      ...ROUTED_HERE,
    });
    const response = await postActivity(
      server,
      teamsActivities.addedToTeam(harness.teams.serviceUrl, RISK_TEAM),
    );

    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ error: { code: 'CN_TEAMS_ACTIVITY_REFUSED' } });
    expect(harness.teams.posts).toHaveLength(0);
  });

  it('is not served when the config names no Teams bot', async () => {
    server = await startTestServer();
    const response = await fetch(`${server.baseUrl}/api/messages`, { method: 'POST', body: '{}' });
    expect(response.status).toBe(404);
  });

  it('warns loudly at start when running without an app id', async () => {
    const lines: string[] = [];
    const log = pino(
      new Writable({
        write(chunk, _encoding, done) {
          lines.push(String(chunk));
          done();
        },
      }),
    );
    const config = configSchema.parse({
      credo: { auth: { secrets: [TEST_SECRET] } },
      teams: { allowUnauthenticated: true },
      destinations: {},
    });
    const store = openStore('sqlite::memory:');
    try {
      const commands = chatCommandsOn(store, config, { clock: systemClock, log });
      await startTeamsBot({ config, current: () => config, commands, store, clock: systemClock, log });
    } finally {
      await store.close();
    }
    const warning = lines
      .map((line) => JSON.parse(line) as { level: number; msg: string })
      .find((l) => l.level === 40);
    expect(warning?.msg).toMatch(/^TEAMS BOT UNAUTHENTICATED/);
  });
});
