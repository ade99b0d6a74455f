import { describe, expect, it } from 'vitest';
import { MINIMAL, parseObject, problemsOfObject } from './config-text.js';

const BOT_APP_ID = '00000000-1111-4222-8333-444444444444';
const BOT_TENANT_ID = '72f988bf-86f1-41af-91ab-2d7cd011db47';

describe('config validation messages', () => {
  it('fills in the documented defaults', () => {
    const config = parseObject(MINIMAL);

    expect(config.server).toEqual({
      host: '127.0.0.1',
      port: 3000,
      webhookPath: '/webhooks/credo',
      bodyLimitBytes: 1024 * 1024,
      requestTimeoutSeconds: 30,
      connectionTimeoutSeconds: 10,
      maxConnections: 1024,
    });
    expect(config.store).toEqual({ url: 'sqlite:./data/credo-notify.db', retentionHours: 168 });
    expect(config.credo.auth).toMatchObject({ method: 'svix', toleranceSeconds: 300 });
    expect(config.routes).toEqual([
      { match: { events: ['*'] }, to: ['governance'], thread: 'none', continue: false },
    ]);
    expect(config.mentions.directMessages).toEqual({ taggedUsers: true, taskAssignees: true });
    expect(config.mentions.maxPerEvent).toBe(50);
    expect(config.delivery).toEqual({ maxAttempts: 15, maxAgeHours: 24, leaseSeconds: 15 });
  });

  it('names an unknown key with the closest known one and lists the known keys', () => {
    expect(problemsOfObject({ ...MINIMAL, server: { webhookPth: '/hooks' } })).toEqual([
      'server.webhookPth: unknown key; did you mean "webhookPath"? Known keys: host, port, webhookPath, bodyLimitBytes, requestTimeoutSeconds, connectionTimeoutSeconds, maxConnections',
    ]);
  });

  it('lists the known keys without a guess when nothing is close', () => {
    expect(problemsOfObject({ ...MINIMAL, logging: { level: 'debug' } })).toEqual([
      'logging: unknown key; known keys: server, store, credo, slack, teams, destinations, routes, mentions, templates, delivery, subscriptions, admin',
    ]);
  });

  it('finds unknown keys deep inside lists and named entries', () => {
    const config = {
      ...MINIMAL,
      destinations: { governance: { slack: { chanel: 'C0GOVERNANCE' } } },
      routes: [{ to: ['governance'], match: { event: ['use_case_review_comment'] } }],
    };

    expect(problemsOfObject(config)).toEqual([
      'destinations.governance.slack.channel: missing; expected a string',
      'destinations.governance.slack.chanel: unknown key; did you mean "channel"? Known keys: channel',
      'routes[0].match.event: unknown key; did you mean "events"? Known keys: events, where, useCases',
    ]);
  });

  it('says what type was expected and what was found', () => {
    const config = {
      ...MINIMAL,
      server: { port: 'three thousand' },
      routes: [{ to: 'governance', continue: 'yes' }],
    };

    expect(problemsOfObject(config)).toEqual([
      'server.port: expected a number, got a string',
      'routes[0].to: expected a list, got a string',
      'routes[0].continue: expected true or false, got a string',
    ]);
  });

  it('explains numbers out of range', () => {
    expect(problemsOfObject({ ...MINIMAL, server: { port: 70000 }, delivery: { maxAttempts: 0 } })).toEqual([
      'server.port: must be at most 65535',
      'delivery.maxAttempts: must be more than 0',
    ]);
  });

  it('takes a whole, positive number of people per event (issue 14)', () => {
    expect(problemsOfObject({ ...MINIMAL, mentions: { maxPerEvent: 0 } })).toEqual([
      'mentions.maxPerEvent: must be more than 0',
    ]);
    expect(problemsOfObject({ ...MINIMAL, mentions: { maxPerEvent: 2.5 } })).toHaveLength(1);
    expect(parseObject({ ...MINIMAL, mentions: { maxPerEvent: '10' } }).mentions.maxPerEvent).toBe(10);
  });

  it('checks a route digest and DM quiet hours, naming the key (issue 18)', () => {
    const route = (digest: unknown) => ({ ...MINIMAL, routes: [{ to: ['governance'], digest }] });
    expect(problemsOfObject(route({ windowSeconds: 5 }))).toEqual([
      'routes[0].digest.windowSeconds: must be at least 10 (seconds)',
    ]);
    expect(problemsOfObject(route({ windowSeconds: 90_000 }))).toEqual([
      'routes[0].digest.windowSeconds: must be at most 86400 (24 hours, in seconds)',
    ]);
    expect(problemsOfObject(route({ windowSeconds: 120, by: 'usecase' }))).toEqual([
      'routes[0].digest.by: expected one of useCase, review, destination; did you mean "useCase"?',
    ]);
    expect(parseObject(route({ windowSeconds: '120' })).routes[0]?.digest).toEqual({
      windowSeconds: 120,
      by: 'useCase',
    });

    const quiet = (quietHours: unknown) => ({ ...MINIMAL, mentions: { directMessages: { quietHours } } });
    expect(problemsOfObject(quiet({ from: '7pm', to: '24:00', timezone: 'Europe/Berln' }))).toEqual([
      'mentions.directMessages.quietHours.from: must be a time of day as HH:MM, e.g. 19:00',
      'mentions.directMessages.quietHours.to: must be a time of day as HH:MM, e.g. 19:00',
      'mentions.directMessages.quietHours.timezone: must be an IANA time zone such as Europe/Berlin',
    ]);
    expect(
      parseObject(quiet({ from: '19:00', to: '08:00', timezone: 'Europe/Berlin' })).mentions.directMessages,
    ).toEqual({
      taggedUsers: true,
      taskAssignees: true,
      quietHours: { from: '19:00', to: '08:00', timezone: 'Europe/Berlin', weekends: false, urgent: [] },
    });
  });

  it('takes subscriptions.allow as members or a list of people, naming the key when it is neither (issue 13)', () => {
    expect(parseObject(MINIMAL).subscriptions).toEqual({ allow: 'members', defaults: { thread: 'none' } });
    expect(
      parseObject({ ...MINIMAL, subscriptions: { allow: ['U0ANN', 'ann@acme.com'] } }).subscriptions.allow,
    ).toEqual(['U0ANN', 'ann@acme.com']);
    expect(problemsOfObject({ ...MINIMAL, subscriptions: { allow: 'everyone' } })).toEqual([
      'subscriptions.allow: expected "members" or a list of Slack user ids, Entra object ids and emails',
    ]);
    expect(problemsOfObject({ ...MINIMAL, subscriptions: { allow: [] } })).toEqual([
      'subscriptions.allow: must list at least one person, or be "members"',
    ]);
    expect(
      problemsOfObject({ ...MINIMAL, subscriptions: { defaults: { thread: 'reviews', colour: 1 } } }),
    ).toEqual([
      'subscriptions.defaults.thread: expected one of review, useCase, none; did you mean "review"?',
      'subscriptions.defaults.colour: unknown key; known keys: thread, template, digest',
    ]);
  });

  it('lists the allowed values of a choice, with a guess', () => {
    const config = { ...MINIMAL, credo: { auth: { method: 'svx', secrets: MINIMAL.credo.auth.secrets } } };

    expect(problemsOfObject(config)).toEqual([
      'credo.auth.method: expected one of svix, oauth, none; did you mean "svix"?',
    ]);
  });

  it('names the known destinations when a route names another', () => {
    const config = {
      ...MINIMAL,
      destinations: { ...MINIMAL.destinations, 'dry-run': { console: {} } },
      routes: [{ to: ['governance'] }, { to: ['dry-run', 'risk-team'] }],
    };

    expect(problemsOfObject(config)).toEqual([
      'routes[1].to[1]: unknown destination "risk-team"; expected one of: governance, dry-run',
    ]);
  });

  it('refuses a destination of two kinds, or of none', () => {
    const config = {
      ...MINIMAL,
      teams: { allowUnauthenticated: true },
      destinations: {
        governance: { slack: { channel: 'C0GOVERNANCE' }, teams: { conversation: 'risk-review' } },
        empty: {},
      },
    };

    expect(problemsOfObject(config)).toEqual([
      'destinations.governance: expected exactly one of slack, slackWebhook, teams, teamsWorkflow, console; found slack and teams',
      'destinations.empty: expected exactly one of slack, slackWebhook, teams, teamsWorkflow, console',
    ]);
  });

  it('guesses the kind of destination meant by a typo', () => {
    const config = { ...MINIMAL, destinations: { governance: { slak: { channel: 'C0GOVERNANCE' } } } };

    expect(problemsOfObject(config)).toEqual([
      'destinations.governance.slak: unknown key; did you mean "slack"? Known keys: slack, slackWebhook, teams, teamsWorkflow, console',
      'destinations.governance: expected exactly one of slack, slackWebhook, teams, teamsWorkflow, console',
    ]);
  });

  it('reports a bad setting of a destination at its own path', () => {
    const config = {
      ...MINIMAL,
      destinations: { ...MINIMAL.destinations, feed: { slackWebhook: { url: 'ftp://x' } } },
    };

    expect(problemsOfObject(config)).toEqual(['destinations.feed.slackWebhook.url: must be an http(s) URL']);
  });

  it('reads each kind of destination', () => {
    const config = parseObject({
      ...MINIMAL,
      teams: { appId: BOT_APP_ID, appPassword: 'a-password', tenantId: BOT_TENANT_ID },
      destinations: {
        governance: { slack: { channel: '#governance' } },
        legacy: { slackWebhook: { url: 'https://hooks.slack.com/services/T0/B0/x' } },
        'risk-team': { teams: { conversation: 'risk-review' } },
        'audit-feed': { teamsWorkflow: { url: 'https://prod.workflows.example/hook' } },
        'dry-run': { console: null },
      },
    });

    expect(config.destinations).toEqual({
      governance: { slack: { channel: '#governance' } },
      legacy: { slackWebhook: { url: 'https://hooks.slack.com/services/T0/B0/x' } },
      'risk-team': { teams: { conversation: 'risk-review' } },
      'audit-feed': { teamsWorkflow: { url: 'https://prod.workflows.example/hook' } },
      'dry-run': { console: {} },
    });
  });

  it('refuses a teams destination without Teams credentials, unless a local trial is asked for', () => {
    const config = { ...MINIMAL, destinations: { risk: { teams: { conversation: 'risk-review' } } } };

    expect(problemsOfObject({ ...config, routes: [] })).toEqual([
      'teams: a teams destination needs teams.appId, appPassword and tenantId (an Azure Bot registration), or teams.allowUnauthenticated: true for a local trial (loopback callers only)',
    ]);
    expect(problemsOfObject({ ...config, routes: [], teams: { tenantId: BOT_TENANT_ID } })).toEqual([
      'teams.appId: a teams destination needs teams.appId, appPassword and tenantId (an Azure Bot registration), or teams.allowUnauthenticated: true for a local trial (loopback callers only)',
    ]);
    expect(parseObject({ ...config, routes: [], teams: { allowUnauthenticated: true } }).teams).toMatchObject(
      {
        appId: '',
        allowUnauthenticated: true,
      },
    );
  });

  it('asks a single-tenant bot for its tenant, the way Azure now registers bots', () => {
    const teams = { appId: BOT_APP_ID, appPassword: 'a-password' };

    expect(problemsOfObject({ ...MINIMAL, teams })).toEqual([
      'teams.tenantId: a SingleTenant bot needs teams.tenantId (its Entra tenant), or set teams.appType: MultiTenant',
    ]);
    expect(parseObject({ ...MINIMAL, teams: { ...teams, appType: 'MultiTenant' } }).teams).toMatchObject({
      appType: 'MultiTenant',
      endpoints: {
        login: 'https://login.microsoftonline.com',
        openIdMetadata: 'https://login.botframework.com/v1/.well-known/openidconfiguration',
        tokenIssuer: 'https://api.botframework.com',
      },
    });
  });

  it('asks for slack.botToken when a slack destination exists', () => {
    const { slack: _, ...withoutSlack } = MINIMAL;

    expect(problemsOfObject(withoutSlack)).toEqual(['slack: a slack destination needs slack.botToken']);
  });

  it('asks for a secret when svix authentication has none, even with no auth section', () => {
    expect(problemsOfObject({ ...MINIMAL, credo: {} })).toEqual([
      'credo.auth.secrets: method svix needs at least one secret (whsec_...)',
    ]);
  });

  it('refuses a destination name a chat command could not carry', () => {
    const config = { ...MINIMAL, destinations: { ...MINIMAL.destinations, 'risk team': { console: {} } } };

    expect(problemsOfObject(config)).toEqual([
      'destinations["risk team"]: invalid name: destination names use letters, digits, "-", "_" and "."',
    ]);
  });

  it('says what a `where` value may be', () => {
    const config = {
      ...MINIMAL,
      routes: [{ to: ['governance'], match: { where: { status: { is: 'approved' } } } }],
    };

    expect(problemsOfObject(config)).toEqual([
      'routes[0].match.where.status: expected a value (text, number, true/false) or a list of values',
    ]);
  });

  it('reports a file that is not a mapping', () => {
    expect(problemsOfObject(['server'])).toEqual([
      '(top level): expected a mapping (key: value), got a list',
    ]);
  });

  it('never echoes a misplaced value, which may be a secret', () => {
    const problems = problemsOfObject({
      ...MINIMAL,
      server: { host: 'xoxb-very-secret', port: 'xoxb-very-secret' },
    });

    expect(problems).toEqual(['server.port: expected a number, got a string']);
  });
});
