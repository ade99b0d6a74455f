import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Webhook } from 'standardwebhooks';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig, parseConfigText } from '../../src/config/load.js';
import { DEV_WEBHOOK_SECRET, QUICK_START_SOURCE } from '../../src/config/quick-start.js';
import { configErrorOf, EXAMPLE_VARIABLES, SECRET } from './config-text.js';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/config/${name}`, import.meta.url));

const ALL_VARIABLES = EXAMPLE_VARIABLES;

let cwd: string;
beforeEach(() => {
  cwd = mkdtempSync(join(tmpdir(), 'credo-notify-config-'));
});
afterEach(() => {
  rmSync(cwd, { recursive: true, force: true });
});

describe('the bundled quick-start config', () => {
  it('is used when there is no --config and no ./credo-notify.yaml, and is valid with an empty environment', () => {
    const { config, source, usesDevSecret } = loadConfig({ cwd, env: {} });

    expect(source).toBe(QUICK_START_SOURCE);
    expect(usesDevSecret).toBe(true);
    expect(config.server).toMatchObject({ host: '127.0.0.1', port: 3000, webhookPath: '/webhooks/credo' });
    expect(config.store.url).toBe('sqlite:./data/credo-notify.db');
    expect(config.credo).toMatchObject({
      auth: { method: 'svix', secrets: [DEV_WEBHOOK_SECRET] },
      eventTypePrefix: 'CredoAI',
      eventTypeSuffix: 'v1',
    });
    expect(config.destinations).toEqual({ console: { console: {} } });
    expect(config.routes).toMatchObject([{ match: { events: ['*'] }, to: ['console'] }]);
  });

  it('takes the server, store and secret from the environment', () => {
    const env = {
      HOST: '0.0.0.0',
      PORT: '8080',
      DATABASE_URL: 'postgres://db/credo',
      CREDO_WEBHOOK_SECRET: SECRET,
    };
    const { config, usesDevSecret } = loadConfig({ cwd, env });

    expect(usesDevSecret).toBe(false);
    expect(config.server).toMatchObject({ host: '0.0.0.0', port: 8080 });
    expect(config.store.url).toBe('postgres://db/credo');
    expect(config.credo.auth.secrets).toEqual([SECRET]);
  });

  it('has a development secret that signs and verifies like a real Svix endpoint secret', () => {
    const webhook = new Webhook(DEV_WEBHOOK_SECRET);
    const body = readFileSync(join(repoRoot, 'samples/events/use_case_review_comment.json'), 'utf8');
    const timestamp = new Date();
    const headers = {
      'webhook-id': 'msg_dev',
      'webhook-timestamp': String(Math.floor(timestamp.getTime() / 1000)),
      'webhook-signature': webhook.sign('msg_dev', timestamp, body),
    };

    expect(webhook.verify(body, headers)).toEqual(JSON.parse(body));
  });
});

describe('finding the config file', () => {
  const ownConfig = [
    'credo:',
    '  auth:',
    `    secrets: [${SECRET}]`,
    'destinations:',
    '  out:',
    '    console:',
  ];

  it('reads ./credo-notify.yaml from the working directory when it exists', () => {
    writeFileSync(join(cwd, 'credo-notify.yaml'), ownConfig.join('\n'));

    const { source, config, usesDevSecret } = loadConfig({ cwd, env: {} });

    expect(source).toBe(join(cwd, 'credo-notify.yaml'));
    expect(config.destinations).toEqual({ out: { console: {} } });
    expect(usesDevSecret).toBe(false);
  });

  it('reads --config relative to the working directory, before ./credo-notify.yaml', () => {
    writeFileSync(join(cwd, 'credo-notify.yaml'), 'not: [valid');
    mkdirSync(join(cwd, 'etc'));
    writeFileSync(join(cwd, 'etc', 'notify.yaml'), ownConfig.join('\n'));

    expect(loadConfig({ path: 'etc/notify.yaml', cwd, env: {} }).source).toBe(
      join(cwd, 'etc', 'notify.yaml'),
    );
  });

  it('says so clearly when the --config file does not exist', () => {
    const error = configErrorOf(() => loadConfig({ path: 'missing.yaml', cwd, env: {} }));

    expect(error.source).toBe(join(cwd, 'missing.yaml'));
    expect(error.problems).toEqual(['config file not found (check the --config path)']);
    expect(error.message).toContain(join(cwd, 'missing.yaml'));
  });

  it('says so when the config path cannot be read', () => {
    const error = configErrorOf(() => loadConfig({ path: '.', cwd, env: {} }));

    expect(error.problems).toEqual([expect.stringMatching(/^cannot read the config file: .*EISDIR/)]);
  });
});

describe('the example configs', () => {
  const slack = { botToken: 'xoxb-test', apiUrl: 'https://slack.com/api/' };
  it.each([
    [
      'credo-notify.example.yaml',
      join(repoRoot, 'credo-notify.example.yaml'),
      { ...slack, signingSecret: EXAMPLE_VARIABLES.SLACK_SIGNING_SECRET },
    ],
    ['the public contract example', fixture('public-contract.yaml'), slack],
  ])('%s is valid with every variable set', (_name, file, expectedSlack) => {
    const { config } = loadConfig({ path: file, cwd, env: ALL_VARIABLES });

    expect(config.credo.auth.secrets).toEqual([SECRET]);
    expect(Object.keys(config.destinations)).toEqual([
      'governance',
      'risk-team',
      'audit-feed',
      'legacy',
      'dry-run',
    ]);
    expect(config.routes.map((r) => r.to)).toEqual([
      ['governance', 'risk-team'],
      ['audit-feed'],
      ['governance'],
    ]);
    expect(config.routes[1]?.match.where).toEqual({ status: ['approved', 'rejected', 'completed'] });
    expect(config.mentions.users).toEqual({
      MMC8qELwNoq9V27Y2cvqHf: { slack: 'U02JOHNDOE', teams: 'john.doe@acme.com' },
    });
    expect(config.slack).toEqual(expectedSlack);
  });

  it('leaves the slash command off in credo-notify.example.yaml until SLACK_SIGNING_SECRET is set (issue 17)', () => {
    const { SLACK_SIGNING_SECRET: _unset, ...env } = EXAMPLE_VARIABLES;
    const file = join(repoRoot, 'credo-notify.example.yaml');

    expect(loadConfig({ path: file, cwd, env }).config.slack?.signingSecret).toBe('');
  });

  it('names every missing variable and its key at once', () => {
    const error = configErrorOf(() => loadConfig({ path: fixture('public-contract.yaml'), cwd, env: {} }));

    expect(error.problems).toEqual([
      'credo.auth.secrets[0]: environment variable CREDO_WEBHOOK_SECRET is not set',
      'credo.api.token: environment variable CREDO_API_TOKEN is not set',
      'slack.botToken: environment variable SLACK_BOT_TOKEN is not set',
      'teams.appId: environment variable TEAMS_APP_ID is not set',
      'teams.appPassword: environment variable TEAMS_APP_PASSWORD is not set',
      'teams.tenantId: environment variable TEAMS_TENANT_ID is not set',
      'destinations["audit-feed"].teamsWorkflow.url: environment variable TEAMS_WORKFLOW_URL is not set',
      'destinations.legacy.slackWebhook.url: environment variable SLACK_WEBHOOK_URL is not set',
    ]);
  });

  it('turns the operator console and the admin API on once ADMIN_TOKEN is set, and leaves them off without it', () => {
    const token = 'an-admin-token-of-at-least-32-bytes-0123456789';

    expect(loadConfig({ cwd, env: { ADMIN_TOKEN: token } }).config.admin).toEqual({ token });
    expect(loadConfig({ cwd, env: {} }).config.admin).toEqual({ token: '' });
  });

  it('.env.example lists every variable the examples and the quick start use', () => {
    const listed = readFileSync(join(repoRoot, '.env.example'), 'utf8').match(/^[A-Z_]+(?==)/gm);
    const used = ['credo-notify.example.yaml', 'test/fixtures/config/public-contract.yaml'].flatMap((file) =>
      [...readFileSync(join(repoRoot, file), 'utf8').matchAll(/^[^#\n]*?\$\{([A-Z_]+)/gm)].map((m) => m[1]),
    );

    expect(new Set(listed)).toEqual(new Set([...used, 'LOG_LEVEL']));
  });
});

describe('reporting problems', () => {
  it('names the file, line and column of a YAML syntax error', () => {
    const file = fixture('syntax-error.yaml');
    const error = configErrorOf(() => loadConfig({ path: file, cwd, env: {} }));

    expect(error.problems).toHaveLength(1);
    expect(error.problems[0]).toMatch(new RegExp(`^${escapeRegExp(file)}:4:1: YAML syntax error: .+`));
  });

  it('explains an empty config file', () => {
    writeFileSync(join(cwd, 'credo-notify.yaml'), '# nothing yet\n');

    expect(configErrorOf(() => loadConfig({ cwd, env: {} })).problems).toEqual([
      '(top level): expected a mapping (key: value), got an empty value',
    ]);
  });

  it('reports every problem of a file together, missing variables included', () => {
    const file = fixture('many-problems.yaml');
    const error = configErrorOf(() => loadConfig({ path: file, cwd, env: {} }));

    expect(error.source).toBe(file);
    expect(error.problems).toEqual([
      'credo.auth.secrets[0]: environment variable CREDO_WEBHOOK_SECRET is not set',
      'server.webhookPth: unknown key; did you mean "webhookPath"? Known keys: host, port, webhookPath, bodyLimitBytes, requestTimeoutSeconds, connectionTimeoutSeconds, maxConnections',
      'destinations.ops: expected exactly one of slack, slackWebhook, teams, teamsWorkflow, console; found slack and teams',
      'routes[0].thread: expected one of review, useCase, none',
      'routes[0].to[0]: unknown destination "opps"; expected one of: ops',
      'slack: a slack destination needs slack.botToken',
      'teams: a teams destination needs teams.appId, appPassword and tenantId (an Azure Bot registration), or teams.allowUnauthenticated: true for a local trial (loopback callers only)',
    ]);
  });

  it('prints the problems as a readable list under the source', () => {
    const error = configErrorOf(() => parseConfigText('server:\n  prot: 80\n  hots: x\n', 'my.yaml', {}));

    expect(error.message).toBe(
      [
        'Invalid configuration (my.yaml): 4 problems',
        '  - server.prot: unknown key; did you mean "port"? Known keys: host, port, webhookPath, bodyLimitBytes, requestTimeoutSeconds, connectionTimeoutSeconds, maxConnections',
        '  - server.hots: unknown key; did you mean "host"? Known keys: host, port, webhookPath, bodyLimitBytes, requestTimeoutSeconds, connectionTimeoutSeconds, maxConnections',
        '  - credo: missing; expected a mapping (key: value)',
        '  - destinations: missing; expected a mapping (key: value)',
      ].join('\n'),
    );
  });
});

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
