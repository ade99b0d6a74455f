import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { systemClock } from '../../src/clock.js';
import type { TeamsCard } from '../../src/messages.js';
import { createConversationDirectory } from '../../src/notify/teams/conversations.js';
import {
  type ConnectorPost,
  type FakeBotConnector,
  startFakeBotConnector,
  teamsActivities,
} from '../helpers/fake-bot-connector.js';
import { type FakeEntra, startFakeEntra } from '../helpers/fake-entra.js';
import { loadFixtureEvents } from '../helpers/fixture-events.js';
import { sendSigned } from '../helpers/signed-delivery.js';
import { eventually, startTestServer, type TestServer } from '../helpers/test-server.js';
import { cardTexts, shownInTeams, teamsCardProblems } from '../render/teams-card-problems.js';

const [fixture] = loadFixtureEvents();
const RISK = { id: '19:risk-general@thread.tacv2', name: 'Risk Review' };
const MODELS = { id: '19:models-general@thread.tacv2', name: 'Model Office' };
const AI_REVIEWS = { id: '19:ai-reviews@thread.tacv2', name: 'AI reviews' };

/**
 * Issue #11: a team's life as Teams tells it to an authenticated single-tenant bot. Activities
 * name no team or channel: the bot reads the names from the Teams APIs at install, so every
 * team's General gets an alias of its own; renames and deletions follow.
 */
describe('Teams teams and channels, as they change', () => {
  let entra: FakeEntra;
  let teams: FakeBotConnector;
  let server: TestServer | undefined;
  beforeEach(async () => {
    entra = await startFakeEntra();
    teams = await startFakeBotConnector({ acceptsToken: (token) => entra.issued(token) });
    teams.addTeam(RISK, { channels: [AI_REVIEWS] });
    teams.addTeam(MODELS);
  });
  afterEach(async () => {
    await server?.close();
    server = undefined;
    await teams.close();
    await entra.close();
  });

  const start = (destinations: Record<string, string>) =>
    startTestServer({
      teams: { ...entra.bot, endpoints: entra.endpoints, serviceUrlHosts: ['127.0.0.1'] },
      destinations: Object.fromEntries(
        Object.entries(destinations).map(([name, conversation]) => [name, { teams: { conversation } }]),
      ),
      routes: [{ match: { events: ['*'] }, to: Object.keys(destinations) }],
    });
  const toBot = async (activity: Parameters<FakeEntra['signActivity']>[0]) => {
    const answer = await fetch(`${server?.baseUrl}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: await entra.signActivity(activity) },
      body: JSON.stringify(activity),
    });
    expect(answer.status).toBe(200);
  };
  const shown = (post: ConnectorPost | undefined) => {
    const [attachment] = (post?.body.attachments ?? []) as Array<{ content: TeamsCard }>;
    const card = attachment?.content ?? ({ type: 'AdaptiveCard', body: [] } as unknown as TeamsCard);
    expect(teamsCardProblems(card)).toEqual([]);
    return cardTexts(card).map(shownInTeams).join('\n');
  };
  const find = (idOrAlias: string) => {
    if (!server) throw new Error('no server');
    return createConversationDirectory(server.runtime.store, systemClock).find(idOrAlias);
  };

  it('reads the names at install, and gives each team’s General an alias of its own', async () => {
    server = await start({ risk: 'risk-review/general', models: 'model-office/general' });
    await toBot(teamsActivities.addedToTeam(teams.serviceUrl, RISK));
    await toBot(teamsActivities.addedToTeam(teams.serviceUrl, MODELS));

    // Asked of Teams, as activities carry no names.
    expect(teams.requests).toContain(`GET /v3/teams/${encodeURIComponent(RISK.id)}`);
    expect(teams.requests).toContain(`GET /v3/teams/${encodeURIComponent(RISK.id)}/conversations`);
    expect(await find('risk-review/general')).toMatchObject({
      id: RISK.id,
      name: 'General',
      teamName: 'Risk Review',
    });
    expect((await find('model-office/general'))?.id).toBe(MODELS.id);
    // The welcome card says what to write in the config.
    expect(shown(teams.postsIn(RISK.id)[0])).toContain('teams: { conversation: risk-review/general }');
    expect(shown(teams.postsIn(MODELS.id)[0])).toContain('teams: { conversation: model-office/general }');

    expect((await sendSigned(server.webhookUrl, fixture?.body ?? '')).status).toBe(200);
    await eventually(() => {
      expect(teams.postsIn(RISK.id)).toHaveLength(2);
      expect(teams.postsIn(MODELS.id)).toHaveLength(2);
    });
  });

  it('follows a renamed team and channel; the aliases they had keep routing', async () => {
    server = await start({ risk: 'risk-review/general', reviews: 'risk-review/ai-reviews' });
    await toBot(teamsActivities.addedToTeam(teams.serviceUrl, RISK));
    await toBot(teamsActivities.mentionedInChannel(teams.serviceUrl, RISK, AI_REVIEWS, 'help'));
    expect(shown(teams.postsIn(AI_REVIEWS.id)[0])).toContain(
      'teams: { conversation: risk-review/ai-reviews }',
    );

    await toBot(
      teamsActivities.teamEvent(teams.serviceUrl, 'teamRenamed', { id: RISK.id, name: 'Risk Office' }),
    );
    await toBot(
      teamsActivities.teamEvent(teams.serviceUrl, 'channelRenamed', RISK, {
        id: AI_REVIEWS.id,
        name: 'Model reviews',
      }),
    );

    expect(await find(RISK.id)).toMatchObject({ alias: 'risk-office/general', teamName: 'Risk Office' });
    expect(await find(AI_REVIEWS.id)).toMatchObject({
      alias: 'risk-office/model-reviews',
      name: 'Model reviews',
      teamName: 'Risk Office',
    });
    // The config still names them as they were: the cards arrive all the same.
    expect((await sendSigned(server.webhookUrl, fixture?.body ?? '')).status).toBe(200);
    await eventually(() => {
      expect(teams.postsIn(RISK.id)).toHaveLength(2);
      expect(teams.postsIn(AI_REVIEWS.id)).toHaveLength(2);
    });
    expect((await find('risk-review/ai-reviews'))?.id).toBe(AI_REVIEWS.id);
  });

  it('keeps a deleted channel inactive: its events are dead-lettered, and status says it is broken', async () => {
    server = await start({ risk: 'risk-review/general', reviews: 'risk-review/ai-reviews' });
    await toBot(teamsActivities.addedToTeam(teams.serviceUrl, RISK));
    await toBot(teamsActivities.mentionedInChannel(teams.serviceUrl, RISK, AI_REVIEWS, 'help'));
    await toBot(
      teamsActivities.teamEvent(teams.serviceUrl, 'channelDeleted', RISK, {
        id: AI_REVIEWS.id,
        name: 'AI reviews',
      }),
    );
    expect((await find('risk-review/ai-reviews'))?.inactive?.reason).toBe('the channel was deleted in Teams');

    expect((await sendSigned(server.webhookUrl, fixture?.body ?? '')).status).toBe(200);
    const [dead] = await eventually(async () => {
      const jobs = await server?.runtime.store.listJobs({ state: 'dead' });
      expect(jobs).toHaveLength(1);
      return jobs ?? [];
    });
    expect(dead).toMatchObject({ destination: 'reviews' });
    expect(dead?.lastError).toMatch(/CN_TEAMS_CONVERSATION_GONE/);
    expect(teams.postsIn(AI_REVIEWS.id)).toHaveLength(1);

    await toBot(teamsActivities.mentionedInChannel(teams.serviceUrl, RISK, RISK, 'status'));
    const status = shown(teams.postsIn(RISK.id).at(-1));
    expect(status).toContain('1 Teams destination is broken:');
    expect(status).toMatch(/reviews[\s\S]*the channel was deleted in Teams/);
  });

  it('keeps every channel of a team it was uninstalled from inactive', async () => {
    server = await start({ risk: 'risk-review/general' });
    await toBot(teamsActivities.addedToTeam(teams.serviceUrl, RISK));
    await toBot(teamsActivities.mentionedInChannel(teams.serviceUrl, RISK, AI_REVIEWS, 'help'));
    await toBot(teamsActivities.uninstalledFromTeam(teams.serviceUrl, RISK));

    for (const id of [RISK.id, AI_REVIEWS.id])
      expect((await find(id))?.inactive?.reason).toBe('the bot was removed from there in Teams');
  });
});
