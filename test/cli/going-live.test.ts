import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { type FakeCredoApi, startFakeCredoApi } from '../helpers/fake-credo-api.js';
import { runCli } from './run-cli.js';

// Issue #20: going live without a chicken and an egg, and a config that works from any folder.

const SECRET = `whsec_${Buffer.from('a test secret, 24 bytes!').toString('base64')}`;

let credo: FakeCredoApi;
beforeAll(async () => {
  credo = await startFakeCredoApi();
});
afterAll(async () => {
  await credo.close();
});

function configFolder(extra = ''): string {
  const dir = mkdtempSync(join(tmpdir(), 'credo-notify-live-'));
  writeFileSync(
    join(dir, 'credo-notify.yaml'),
    `
credo:
  auth: { secrets: ["\${CREDO_WEBHOOK_SECRET}"] }
  api: { url: "${credo.url}", tenant: ${credo.tenant}, token: ${credo.token} }
destinations:
  out: { console: {} }
routes:
  - match: { events: [use_case_review_comment] }
    to: [out]
${extra}`,
  );
  return dir;
}

describe('before the webhook secret exists', () => {
  it('credo webhooks create registers the webhook: it needs credo.api, not the secret', async () => {
    const dir = configFolder();
    const result = await runCli(['credo', 'webhooks', 'create', '--url', 'https://notify.acme.com'], {
      cwd: dir,
      env: { CREDO_WEBHOOK_SECRET: '' },
    });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('url: https://notify.acme.com/webhooks/credo');
    expect(credo.webhooks.size).toBe(1);
  });

  it('serve refuses to start, naming the step that is missing, without a stack trace', async () => {
    const dir = configFolder();
    const result = await runCli(['serve'], { cwd: dir, env: { CREDO_WEBHOOK_SECRET: '' } });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('credo.auth.secrets[0]: environment variable CREDO_WEBHOOK_SECRET');
    expect(result.stderr).toContain('credo-notify credo webhooks create');
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('paths in the config', () => {
  it('reads the .env file from the config file’s folder, not the working directory', async () => {
    const dir = configFolder();
    writeFileSync(join(dir, '.env'), `CREDO_WEBHOOK_SECRET=${SECRET}\n`);
    const elsewhere = mkdtempSync(join(tmpdir(), 'credo-notify-cwd-'));
    const result = await runCli(['check', '--strict', '--config', join(dir, 'credo-notify.yaml')], {
      cwd: elsewhere,
      env: { CREDO_WEBHOOK_SECRET: undefined },
    });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
  });

  it('reads templates.dir and a relative SQLite file from the config file’s folder', () => {
    const dir = configFolder(
      'templates: { dir: ./my-templates }\nstore: { url: "sqlite:./data/notify.db" }\n',
    );
    mkdirSync(join(dir, 'my-templates'));
    const { config } = loadConfig({
      path: join(dir, 'credo-notify.yaml'),
      cwd: tmpdir(),
      env: { CREDO_WEBHOOK_SECRET: SECRET },
    });
    expect(config.templates.dir).toBe(join(dir, 'my-templates'));
    expect(config.store.url).toBe(`sqlite:${join(dir, 'data', 'notify.db')}`);
  });
});
