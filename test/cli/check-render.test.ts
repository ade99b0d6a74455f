import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CONSOLE_ONLY, configDir } from './config-dir.js';
import { runCli } from './run-cli.js';

const FIXTURE = fileURLToPath(
  new URL('../../samples/events/use_case_review_status_updated.json', import.meta.url),
);

const cli = (args: string[], cwd = tmpdir()) => runCli(args, { cwd, env: { CREDO_WEBHOOK_SECRET: '' } });

describe('credo-notify check', () => {
  it('passes the bundled quick-start config', async () => {
    const result = await cli(['check']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('OK: bundled quick-start config');
  });

  it('exits 1 naming the key of a bad config, before anything starts', async () => {
    const dir = configDir(CONSOLE_ONLY.replace('routes:\n  - to: [out]', 'routes:\n  - to: [nowhere]'));
    const result = await cli(['check'], dir);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('routes[0].to[0]');
    expect(result.stderr).toContain('nowhere');
  });

  it('exits 1 naming the file and line of a broken template', async () => {
    const dir = configDir(`${CONSOLE_ONLY}templates: { dir: ./my-templates }\n`, {
      'my-templates/slack/use_case_review_comment.hbs': '{ "text": "x",\n "blocks": [ {{#each}} ] }',
    });
    const result = await cli(['check'], dir);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/use_case_review_comment\.hbs:2/);
  });

  it('exits 1 when a route names a template that does not exist', async () => {
    const dir = configDir(CONSOLE_ONLY.replace('  - to: [out]', '  - to: [out]\n    template: risk-level'));
    const result = await cli(['check'], dir);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('no slack template named "risk-level"');
  });

  it('exits 1 when subscriptions.defaults names a template the bots do not have (issue 13)', async () => {
    const dir = configDir(
      `${CONSOLE_ONLY}slack: { botToken: xoxb-test }\nsubscriptions: { defaults: { template: risk-level } }\n`,
    );
    const result = await cli(['check'], dir);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('subscriptions.defaults.template');
    expect(result.stderr).toContain('no slack template named "risk-level"');
  });
});

describe('credo-notify render', () => {
  it('prints the Slack message of an event', async () => {
    const result = await cli(['render', '--event', FIXTURE]);
    expect(result.code).toBe(0);
    const message = JSON.parse(result.stdout);
    expect(message.text).toContain('In progress');
    expect(Array.isArray(message.blocks)).toBe(true);
  });

  it('prints the Teams card of an event', async () => {
    const result = await cli(['render', '--event', FIXTURE, '--platform', 'teams']);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ type: 'AdaptiveCard', version: '1.5' });
  });

  it('refuses a template that does not exist', async () => {
    const result = await cli(['render', '--event', FIXTURE, '--template', 'nope']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('no slack template named "nope"');
  });
});
