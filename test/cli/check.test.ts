import { chmodSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fails, formatFinding } from '../../src/cli/check/finding.js';
import { runChecks } from '../../src/cli/check/run-checks.js';
import { loadConfig } from '../../src/config/load.js';
import { EXAMPLE_VARIABLES } from '../config/config-text.js';
import { type FakeCredoApi, startFakeCredoApi } from '../helpers/fake-credo-api.js';
import { type FakeSlack, startFakeSlack } from '../helpers/fake-slack.js';
import { configDir } from './config-dir.js';
import { runCli } from './run-cli.js';

const EXAMPLE = fileURLToPath(new URL('../../credo-notify.example.yaml', import.meta.url));

// Issue #20: `check` catches what users get wrong, as warnings (errors with --strict) or errors.

/** `check` in this process, as the command runs it: what it would print, and its exit code. */
async function check(dir: string, args: string[] = [], env: NodeJS.ProcessEnv = {}) {
  const loaded = loadConfig({
    cwd: dir,
    env: { CREDO_WEBHOOK_SECRET: '', ...env },
    secretMayBeMissing: true,
  });
  const { findings } = await runChecks(loaded, { online: args.includes('--online') });
  const stderr = findings.map((finding) => `${formatFinding(finding)}\n`).join('');
  return { code: fails(findings, args.includes('--strict')) ? 1 : 0, stderr };
}

const routes = (events: string, extra = '') => `
credo:
  auth: { method: none }
  eventTypePrefix: CredoAI
  eventTypeSuffix: v1
destinations:
  out: { console: {} }
routes:
  - name: reviews
    match: { events: ${events}${extra} }
    to: [out]
`;

describe('check: route typos', () => {
  it.each([
    ['["use_case_reveiw_*"]', 'use_case_reveiw_*', 'the closest is "use_case_review_'],
    ['[use_case_review_coment]', 'use_case_review_coment', 'the closest is "use_case_review_comment"'],
    [
      '[CredoAI.use_case_review_comment.v1]',
      'CredoAI.use_case_review_comment.v1',
      'write "use_case_review_comment"',
    ],
  ])(
    'warns of an event pattern %s that matches no type, and fails with --strict',
    async (events, pattern, hint) => {
      const dir = configDir(routes(events));
      const relaxed = await check(dir);
      expect(relaxed.code).toBe(0);
      expect(relaxed.stderr).toContain(`warning: routes[0] ("reviews").match.events[0]: "${pattern}"`);
      expect(relaxed.stderr).toContain(hint);

      const strict = await check(dir, ['--strict']);
      expect(strict.code).toBe(1);
      expect(strict.stderr).toContain(`"${pattern}"`);
    },
  );

  it('warns of a where field that no event of the route has, with the closest one', async () => {
    const dir = configDir(routes('[use_case_review_status_updated]', ', where: { staus: [approved] }'));
    const result = await check(dir, ['--strict']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('routes[0] ("reviews").match.where.staus');
    expect(result.stderr).toContain('did you mean "status"?');
  });

  it('names the key of a bad digest window or quiet hours, and passes good ones (issue 18)', async () => {
    const bad = await runCli(['check'], {
      cwd: configDir(`${routes('["*"]')}    digest: { windowSeconds: 5 }
mentions:
  directMessages:
    quietHours: { from: "19:00", to: "8:00", timezone: Mars/Olympus }
`),
      env: { CREDO_WEBHOOK_SECRET: '' },
    });
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain('routes[0].digest.windowSeconds: must be at least 10 (seconds)');
    expect(bad.stderr).toContain('mentions.directMessages.quietHours.to: must be a time of day as HH:MM');
    expect(bad.stderr).toContain('mentions.directMessages.quietHours.timezone: must be an IANA time zone');

    const good = await check(
      configDir(`${routes('["*"]')}    digest: { windowSeconds: 120, by: review }
mentions:
  directMessages:
    quietHours: { from: "19:00", to: "08:00", timezone: Europe/Berlin, weekends: true, urgent: [assigned] }
`),
      ['--strict'],
    );
    expect(good.stderr).toBe('');
    expect(good.code).toBe(0);
  });

  it('passes a where field the events have', async () => {
    const dir = configDir(routes('[use_case_review_status_updated]', ', where: { status: [approved] }'));
    const result = await check(dir, ['--strict']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
  });
});

const slackConfig = (channel: string, token = 'xoxb-1-abc') => `
credo:
  auth: { method: none }
slack: { botToken: ${token} }
destinations:
  gov: { slack: { channel: "${channel}" } }
routes:
  - to: [gov]
`;

describe('check: Slack values', () => {
  it.each(['C0GOVERNANCE', 'G0PRIVATE1', 'U02JOHNDOE'])('accepts the id %s', async (channel) => {
    const result = await check(configDir(slackConfig(channel)), ['--strict']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
  });

  it.each(['general', '#General', '#two words', 'https://acme.slack.com/archives/C0GOV'])(
    'refuses the channel %s, saying which forms work',
    async (channel) => {
      const result = await check(configDir(slackConfig(channel)));
      expect(result.code).toBe(1);
      expect(result.stderr).toContain('error: destinations.gov.slack.channel');
      expect(result.stderr).toContain('a channel id (C… or G…), a #name in lower case');
    },
  );

  it('notes that an id is safer than a #name, without failing', async () => {
    const result = await check(configDir(slackConfig('#governance')), ['--strict']);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain(
      'note: destinations.gov.slack.channel: "#governance" works, but a channel id',
    );
  });

  it('refuses a token that is not a bot token', async () => {
    const result = await check(configDir(slackConfig('C0GOVERNANCE', 'xoxp-user-token')));
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('error: slack.botToken: must be a bot token, starting "xoxb-"');
  });
});

describe('check --online', () => {
  let slack: FakeSlack;
  let credo: FakeCredoApi;
  beforeAll(async () => {
    slack = await startFakeSlack();
    credo = await startFakeCredoApi();
    slack.channels.set('C0MEMBER', { name: 'governance', isMember: true });
    slack.channels.set('C0OUTSIDE', { name: 'risk', isMember: false });
  });
  afterAll(async () => {
    await slack.close();
    await credo.close();
  });

  const online = (channels: string[], credoToken: string) => `
credo:
  auth: { method: none }
  api: { url: "${credo.url}", tenant: ${credo.tenant}, token: ${credoToken} }
slack: { botToken: xoxb-1-abc, apiUrl: "${slack.url}" }
destinations:
${channels.map((c, i) => `  d${i}: { slack: { channel: ${c} } }`).join('\n')}
routes:
  - to: [${channels.map((_c, i) => `d${i}`).join(', ')}]
`;

  it('passes when the token works and the bot is in every channel', async () => {
    const result = await check(configDir(online(['C0MEMBER'], credo.token)), ['--online']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(slack.callsTo('auth.test').length).toBeGreaterThan(0);
    expect(slack.callsTo('conversations.info').map((call) => call.body.channel)).toContain('C0MEMBER');
  });

  it('says which channels the bot is not in, and which do not exist', async () => {
    const result = await check(configDir(online(['C0MEMBER', 'C0OUTSIDE', 'C0NOWHERE'], credo.token)), [
      '--online',
    ]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('destinations.d1.slack.channel: the bot is not in C0OUTSIDE (#risk)');
    expect(result.stderr).toContain('destinations.d2.slack.channel: Slack cannot find C0NOWHERE');
    expect(result.stderr).not.toContain('destinations.d0');
  });

  it('says when Slack refuses the token', async () => {
    slack.answerNext('auth.test', { error: 'invalid_auth' });
    const result = await check(configDir(online(['C0MEMBER'], credo.token)), ['--online']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      'error: slack.botToken: Slack refused the token (auth.test: invalid_auth)',
    );
  });

  it('says when the Credo AI API refuses the token', async () => {
    const result = await check(configDir(online(['C0MEMBER'], 'not-the-token')), ['--online']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('error: credo.api: the Credo AI API refused');
  });
});

describe('check: what is needed, and what is not yet', () => {
  it('passes the shipped example config once its variables are set', async () => {
    const env = EXAMPLE_VARIABLES;
    const result = await runCli(['check', '--config', EXAMPLE, '--strict'], { cwd: tmpdir(), env });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
  });

  it('says whether the /credo slash command is served: only with slack.signingSecret (issue 17)', async () => {
    const { SLACK_SIGNING_SECRET: _unset, ...withoutSecret } = EXAMPLE_VARIABLES;
    const on = await runCli(['check', '--config', EXAMPLE], { cwd: tmpdir(), env: EXAMPLE_VARIABLES });
    const off = await runCli(['check', '--config', EXAMPLE], { cwd: tmpdir(), env: withoutSecret });

    expect(on.stdout).toContain('slack: the /credo slash command is served at POST /slack/events');
    expect(off.stdout).toContain('slack: the /credo slash command is off (set slack.signingSecret');
  });

  it('only warns of a webhook secret not set yet: it exists once the webhook is registered', async () => {
    const dir = configDir(`
credo:
  auth: { secrets: ["\${CREDO_WEBHOOK_SECRET}"] }
destinations:
  out: { console: {} }
routes:
  - to: [out]
`);
    const result = await check(dir);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain(
      'warning: credo.auth.secrets[0]: environment variable CREDO_WEBHOOK_SECRET',
    );
    expect(result.stderr).toContain('credo webhooks create');
    const strict = await runCli(['check', '--strict'], { cwd: dir, env: { CREDO_WEBHOOK_SECRET: '' } });
    expect(strict.code).toBe(1);
    expect(strict.stderr).toContain('FAILED:');
  });

  it('fails when the data folder cannot be created, naming the key and the folder', async () => {
    const dir = configDir(`${routes('["*"]')}store: { url: "sqlite:./locked/data/notify.db" }\n`);
    mkdirSync(join(dir, 'locked'));
    chmodSync(join(dir, 'locked'), 0o500);
    const result = await check(dir);
    // root may write anywhere: then there is nothing to catch.
    if (process.getuid?.() === 0) return;
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      `store.url: cannot create or write the data folder ${join(dir, 'locked', 'data')}`,
    );
  });
});

describe('check: templates against the events of the routes that use them', () => {
  const customFieldOnly = '{ "text": "{{customField.name}}", "blocks": [] }\n';

  it('passes a template that only fits the events its route sends it', async () => {
    const dir = configDir(
      `${routes('[use_case_custom_field_updated]')}    template: custom-field-only\ntemplates: { dir: ./mine }\n`,
      {
        'mine/slack/custom-field-only.hbs': customFieldOnly,
      },
    );
    const result = await check(dir, ['--strict']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
  });

  it('reports a failure once, with the file and line, never an object', async () => {
    const dir = configDir(`${routes('["*"]')}    template: custom-field-only\ntemplates: { dir: ./mine }\n`, {
      'mine/slack/custom-field-only.hbs': customFieldOnly,
    });
    const result = await check(dir);
    expect(result.code).toBe(1);
    const lines = result.stderr.split('\n').filter((line) => line.includes('custom-field-only.hbs'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(
      `${join(dir, 'mine', 'slack', 'custom-field-only.hbs')}:1: "name" not defined`,
    );
    expect(result.stderr).not.toContain('[object Object]');
  });

  it('reports a Teams template whose card a Workflows destination cannot display (issue 15)', async () => {
    const toWorkflow = routes('[use_case_review_comment]').replace(
      'out: { console: {} }',
      'out: { teamsWorkflow: { url: "https://workflows.example/hook" } }',
    );
    const heading =
      '{ {{> card-properties}}, "body": [{ "type": "TextBlock", "text": "{{event.title}}", "style": "heading" }] }\n';
    const dir = configDir(`${toWorkflow}templates: { dir: ./mine }\n`, {
      'mine/teams/use_case_review_comment.hbs': heading,
    });
    const result = await check(dir);
    expect(result.code).toBe(1);
    const lines = result.stderr.split('\n').filter((line) => line.includes('use_case_review_comment.hbs'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('teams/use_case_review_comment (Adaptive Card 1.4)');
    expect(lines[0]).toContain('not a valid Adaptive Card 1.4: Property "style" is supported in version 1.5');

    const builtIn = configDir(toWorkflow);
    expect(await check(builtIn, ['--strict'])).toEqual({ code: 0, stderr: '' });
  });

  it('traces output that is not JSON back to the template line', async () => {
    const dir = configDir(`${routes('[use_case_review_comment]')}templates: { dir: ./mine }\n`, {
      'mine/slack/use_case_review_comment.hbs': '{ "text": "x",\n  "blocks": [ {{comment}} ] }\n',
    });
    const result = await check(dir);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      `${join(dir, 'mine', 'slack', 'use_case_review_comment.hbs')}:2: output is not valid JSON`,
    );
  });
});
