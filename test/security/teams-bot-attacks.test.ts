import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createConversationDirectory } from '../../src/notify/teams/conversations.js';
import {
  type FakeBotConnector,
  startFakeBotConnector,
  teamsActivities,
} from '../helpers/fake-bot-connector.js';
import { type FakeEntra, startFakeEntra } from '../helpers/fake-entra.js';
import { type Attacked, startAttacked } from './support.js';

/**
 * Issue #10, high: the Teams bot's endpoint taken over from outside. Each forged activity the
 * review sent must change nothing: not where messages go, not who gets someone's DMs, and must
 * not make the server call an address of the attacker's choosing.
 */
const RISK_TEAM = { id: '19:risk-general@thread.tacv2', name: 'Risk Review' };
const ATTACKER_TEAM = { id: '19:attacker@thread.tacv2', name: 'Risk Review' };
const LOOPBACK = '127.0.0.1';
const DESTINATIONS = {
  'risk-team': { teams: { conversation: 'risk-review/general' } },
  out: { console: {} },
};

let connector: FakeBotConnector;
let attacked: Attacked | undefined;
let dir: string;
beforeEach(async () => {
  connector = await startFakeBotConnector();
  connector.addTeam(RISK_TEAM);
  connector.addTeam(ATTACKER_TEAM);
  dir = mkdtempSync(join(tmpdir(), 'credo-notify-teams-attack-'));
});
afterEach(async () => {
  await attacked?.close();
  attacked = undefined;
  await connector.close();
  rmSync(dir, { recursive: true, force: true });
});

const json = (activity: unknown) => ({
  method: 'POST' as const,
  url: '/api/messages',
  headers: { 'content-type': 'application/json' },
  payload: JSON.stringify(activity),
});
const directoryOf = (target: Attacked) =>
  createConversationDirectory(target.runtime.store, { now: () => Date.now(), sleep: async () => {} });

describe('the Teams bot without authentication (a local trial)', () => {
  const startTrial = async (store = `sqlite:${join(dir, 'trial.db')}`) => {
    attacked = await startAttacked({
      store: { url: store },
      teams: { allowUnauthenticated: true },
      destinations: DESTINATIONS,
    });
    return attacked;
  };

  it('answers loopback callers only: from outside, or through a proxy, 403 and nothing stored', async () => {
    const target = await startTrial();
    const activity = teamsActivities.addedToTeam(connector.serviceUrl, RISK_TEAM);

    const outside = await target.inject(json(activity));
    const proxied = await target.inject({
      ...json(activity),
      remoteAddress: LOOPBACK,
      headers: { 'content-type': 'application/json', 'x-forwarded-for': '203.0.113.9' },
    });
    for (const refused of [outside, proxied]) {
      expect(refused.statusCode).toBe(403);
      expect(refused.json()).toMatchObject({ error: { code: 'CN_TEAMS_NOT_LOOPBACK' } });
    }
    expect(await directoryOf(target).find('risk-review/general')).toBeUndefined();
    expect(connector.requests).toEqual([]);
    expect(target.logs.some((line) => String(line.msg).startsWith('TEAMS BOT UNAUTHENTICATED'))).toBe(true);
  });

  it('answers {}, null, an array and a junk body with 400, never a 500', async () => {
    const target = await startTrial();
    for (const payload of ['{}', 'null', '[]', '{"type":']) {
      const answer = await target.inject({
        method: 'POST',
        url: '/api/messages',
        remoteAddress: LOOPBACK,
        headers: { 'content-type': 'application/json' },
        payload,
      });
      expect(answer.statusCode, payload).toBe(400);
      expect(answer.body).not.toMatch(/TypeError|at \w+ \(/);
    }
  });

  it('keeps an alias with its first conversation: a namesake, an id shaped like the alias, a removal change nothing', async () => {
    const target = await startTrial();
    const local = (activity: unknown) => target.inject({ ...json(activity), remoteAddress: LOOPBACK });
    expect((await local(teamsActivities.addedToTeam(connector.serviceUrl, RISK_TEAM))).statusCode).toBe(200);

    // A team of the same name, a conversation whose id is the alias, then a forged removal and re-add.
    await local(teamsActivities.addedToTeam(connector.serviceUrl, ATTACKER_TEAM));
    await local(teamsActivities.addedToTeam(connector.serviceUrl, { id: 'risk-review/general' }));
    await local(teamsActivities.removedFromTeam(connector.serviceUrl, RISK_TEAM));
    await local(teamsActivities.addedToTeam(connector.serviceUrl, ATTACKER_TEAM));

    const directory = directoryOf(target);
    expect((await directory.list()).aliases.get('risk-review/general')).toBe(RISK_TEAM.id);
    // Removed: kept inactive, so nothing is sent there.
    expect((await directory.find('risk-review/general'))?.inactive).toBeDefined();
    await local(teamsActivities.addedToTeam(connector.serviceUrl, RISK_TEAM));
    expect((await directory.find('risk-review/general'))?.id).toBe(RISK_TEAM.id);
  });

  it('never moves a known conversation to another serviceUrl, nor captures one at a non-loopback address', async () => {
    const target = await startTrial();
    const local = (activity: unknown) => target.inject({ ...json(activity), remoteAddress: LOOPBACK });
    const elsewhere = await startFakeBotConnector();
    try {
      await local(teamsActivities.addedToTeam(connector.serviceUrl, RISK_TEAM));
      await local(teamsActivities.mentionedInChannel(elsewhere.serviceUrl, RISK_TEAM, RISK_TEAM, 'status'));
      const metadata = { id: '19:new@thread.tacv2', name: 'New' };
      await local(teamsActivities.addedToTeam('http://169.254.169.254/latest/', metadata));

      const directory = directoryOf(target);
      expect((await directory.find(RISK_TEAM.id))?.reference.serviceUrl).toBe(connector.serviceUrl);
      expect(await directory.find(metadata.id)).toBeUndefined();
      expect(target.logs.some((line) => /serviceUrl not of Microsoft/.test(String(line.msg)))).toBe(true);
    } finally {
      await elsewhere.close();
    }
  });

  it('drops what it captured without authentication once authentication is on', async () => {
    const store = `sqlite:${join(dir, 'shared.db')}`;
    const trial = await startTrial(store);
    await trial.inject({
      ...json(teamsActivities.addedToTeam(connector.serviceUrl, RISK_TEAM)),
      remoteAddress: LOOPBACK,
    });
    expect(await directoryOf(trial).find('risk-review/general')).toBeDefined();
    await trial.close();
    attacked = undefined;

    const entra = await startFakeEntra();
    try {
      attacked = await startAttacked({
        store: { url: store },
        teams: { ...entra.bot, endpoints: entra.endpoints, serviceUrlHosts: [LOOPBACK] },
        destinations: DESTINATIONS,
      });
      const directory = directoryOf(attacked);
      expect(await directory.find('risk-review/general')).toBeUndefined();
      expect((await directory.list()).conversations).toEqual([]);
      expect(attacked.logs.find((line) => line.dropped === 1)?.msg).toMatch(
        /captured without authentication/,
      );
    } finally {
      await entra.close();
    }
  });
});

describe('the authenticated Teams bot', () => {
  let entra: FakeEntra;
  beforeEach(async () => {
    entra = await startFakeEntra();
  });
  afterEach(() => entra.close());

  const startBot = async (teams: Record<string, unknown> = {}) => {
    attacked = await startAttacked({
      teams: { ...entra.bot, endpoints: entra.endpoints, serviceUrlHosts: [LOOPBACK], ...teams },
      destinations: DESTINATIONS,
    });
    return attacked;
  };
  const signed = async (activity: { serviceUrl: string }) => ({
    ...json(activity),
    headers: { 'content-type': 'application/json', authorization: await entra.signActivity(activity) },
  });

  it('refuses forged activities from outside with 401: no install, no removal, no alias taken', async () => {
    const target = await startBot();
    await target.inject(await signed(teamsActivities.addedToTeam(connector.serviceUrl, RISK_TEAM)));

    const forgedInstall = await target.inject(
      json(teamsActivities.addedToTeam(connector.serviceUrl, ATTACKER_TEAM)),
    );
    const forgedRemoval = await target.inject({
      ...json(teamsActivities.removedFromTeam(connector.serviceUrl, RISK_TEAM)),
      headers: { 'content-type': 'application/json', authorization: 'Bearer junk.junk.junk' },
    });
    expect([forgedInstall.statusCode, forgedRemoval.statusCode]).toEqual([401, 401]);
    const directory = directoryOf(target);
    expect((await directory.find('risk-review/general'))?.id).toBe(RISK_TEAM.id);
    expect(await directory.find(ATTACKER_TEAM.id)).toBeUndefined();
  });

  it('takes a signed activity only with a serviceUrl of Microsoft and from its own tenant', async () => {
    const target = await startBot({ serviceUrlHosts: [] });
    const metadata = teamsActivities.addedToTeam('http://169.254.169.254/', RISK_TEAM);
    expect((await target.inject(await signed(metadata))).statusCode).toBe(200);
    const otherTenant = teamsActivities.addedToTeam(connector.serviceUrl, ATTACKER_TEAM, 'another-tenant');
    expect((await target.inject(await signed(otherTenant))).statusCode).toBe(200);

    expect((await directoryOf(target).list()).conversations).toEqual([]);
    expect(connector.requests).toEqual([]);
  });

  it('never hands a person’s direct messages to a personal chat in another tenant', async () => {
    // A multi-tenant bot serving two tenants: a person of one stays where they installed the app.
    await entra.close();
    entra = await startFakeEntra({ multiTenant: true });
    const target = await startBot({
      appType: 'MultiTenant',
      allowedTenants: [entra.bot.tenantId, 'evil-tenant'],
    });
    const directory = directoryOf(target);
    const victim = { id: '29:victim', name: 'Vic Tim', aadObjectId: 'aad-victim' };
    connector.members.set(victim.id, { ...victim, email: 'vic@acme.com', userPrincipalName: 'vic@acme.com' });
    await target.inject(
      await signed(teamsActivities.installedForPerson(connector.serviceUrl, victim, 'a:victim-chat')),
    );
    await target.inject(
      await signed(
        teamsActivities.installedForPerson(connector.serviceUrl, victim, 'a:attacker-chat', 'evil-tenant'),
      ),
    );

    expect((await directory.findPersonal('vic@acme.com'))?.id).toBe('a:victim-chat');
  });

  it('never hands a person’s direct messages to a namesake in the roster of a team in another tenant', async () => {
    await entra.close();
    entra = await startFakeEntra({ multiTenant: true });
    const target = await startBot({
      appType: 'MultiTenant',
      allowedTenants: [entra.bot.tenantId, 'evil-tenant'],
    });
    const victim = {
      id: '29:victim',
      name: 'Vic Tim',
      email: 'vic@acme.com',
      userPrincipalName: 'vic@acme.com',
    };
    const impostor = { ...victim, id: '29:impostor' };
    connector.addTeam(RISK_TEAM, { members: [victim] });
    connector.addTeam(ATTACKER_TEAM, { members: [impostor] });
    await target.inject(
      await signed(teamsActivities.addedToTeam(connector.serviceUrl, RISK_TEAM, entra.bot.tenantId)),
    );
    await target.inject(
      await signed(teamsActivities.addedToTeam(connector.serviceUrl, ATTACKER_TEAM, 'evil-tenant')),
    );

    expect((await directoryOf(target).findMember('vic@acme.com'))?.user.id).toBe(victim.id);
  });
});
