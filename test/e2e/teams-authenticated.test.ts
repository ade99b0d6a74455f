import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TeamsCard } from '../../src/messages.js';
import {
  type FakeBotConnector,
  startFakeBotConnector,
  teamsActivities,
} from '../helpers/fake-bot-connector.js';
import { type FakeEntra, startFakeEntra } from '../helpers/fake-entra.js';
import { loadFixtureEvents } from '../helpers/fixture-events.js';
import { sendSigned } from '../helpers/signed-delivery.js';
import { eventually, startTestServer, type TestServer } from '../helpers/test-server.js';
import { teamsCardProblems } from '../render/teams-card-problems.js';

const fixtures = loadFixtureEvents();
const RISK_TEAM = { id: '19:risk-general@thread.tacv2', name: 'Risk Review' };

/**
 * Issue #11: a single-tenant bot as Azure registers them today, against a fake Entra, the Bot
 * Framework's OpenID metadata and a connector that refuses calls without Entra's token.
 */
describe('an authenticated single-tenant Teams bot', () => {
  let entra: FakeEntra;
  let teams: FakeBotConnector;
  let server: TestServer | undefined;
  beforeEach(async () => {
    entra = await startFakeEntra();
    teams = await startFakeBotConnector({ acceptsToken: (token) => entra.issued(token) });
    teams.addTeam(RISK_TEAM);
  });
  afterEach(async () => {
    await server?.close();
    server = undefined;
    await teams.close();
    await entra.close();
  });

  const start = (teamsOverrides: Record<string, unknown> = {}, conversation = 'risk-review/general') =>
    startTestServer({
      teams: {
        ...entra.bot,
        endpoints: entra.endpoints,
        serviceUrlHosts: ['127.0.0.1'],
        ...teamsOverrides,
      },
      destinations: { 'risk-team': { teams: { conversation } } },
      routes: [{ match: { events: ['*'] }, to: ['risk-team'] }],
    });
  const post = (target: TestServer, activity: unknown, authorization?: string) =>
    fetch(`${target.baseUrl}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
      body: JSON.stringify(activity),
    });
  const install = async (target: TestServer) => {
    const activity = teamsActivities.addedToTeam(teams.serviceUrl, RISK_TEAM);
    return post(target, activity, await entra.signActivity(activity));
  };

  it('captures an install from a signed activity, and refuses an unsigned or mis-addressed one with 401', async () => {
    server = await start();
    const activity = teamsActivities.addedToTeam(teams.serviceUrl, RISK_TEAM);

    const unsigned = await post(server, activity);
    const forged = await post(server, activity, 'Bearer eyJhbGciOiJub25lIn0.e30.');
    const otherApp = await post(
      server,
      activity,
      await entra.signActivity(activity, { audience: 'another-app' }),
    );
    for (const refused of [unsigned, forged, otherApp]) {
      expect(refused.status).toBe(401);
      expect(await refused.json()).toMatchObject({ error: { code: 'CN_TEAMS_ACTIVITY_REFUSED' } });
    }
    expect(teams.posts).toHaveLength(0);

    expect((await install(server)).status).toBe(200);
    // The welcome card went out with a token Entra issued to the bot, for the bot's own tenant.
    expect(teams.postsIn(RISK_TEAM.id)).toHaveLength(1);
    expect(entra.tokenRequests).toEqual([{ tenant: entra.bot.tenantId, clientId: entra.bot.appId }]);
  });

  it('posts each example event as a card with the token it fetched once', async () => {
    server = await start();
    expect((await install(server)).status).toBe(200);
    for (const fixture of fixtures)
      expect((await sendSigned(server.webhookUrl, fixture.body)).status).toBe(200);

    await eventually(() => expect(teams.postsIn(RISK_TEAM.id)).toHaveLength(fixtures.length + 1));
    const cards = teams
      .postsIn(RISK_TEAM.id)
      .map((p) => (p.body.attachments as Array<{ content: TeamsCard }>)[0]);
    for (const card of cards) expect(teamsCardProblems(card?.content as TeamsCard)).toEqual([]);
    expect(entra.tokenRequests).toHaveLength(1);
  });

  it('dead-letters a send Entra refuses a token for, saying which setting to check', async () => {
    // The bot's password is wrong: Entra refuses its token (AADSTS7000215), whatever it sends.
    // (Nor can it read the team's name at install: the channel goes by its id.)
    server = await start({ appPassword: 'a-wrong-secret-of-the-same-bot' }, RISK_TEAM.id);
    expect((await install(server)).status).toBe(200);
    const [fixture] = fixtures;
    await sendSigned(server.webhookUrl, fixture?.body ?? '');

    const [dead] = await eventually(async () => {
      const jobs = await server?.runtime.store.listJobs({ state: 'dead' });
      expect(jobs).toHaveLength(1);
      return jobs ?? [];
    });
    expect(dead?.lastError).toMatch(/CN_TEAMS_TOKEN_REFUSED.*AADSTS7000215/);
    expect(teams.posts).toHaveLength(0);
  });
});
