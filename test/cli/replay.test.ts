import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { processConfigHead, processWithFakeSlack } from '../helpers/process-with-fake-slack.js';
import { TEST_SECRET } from '../helpers/signed-delivery.js';
import { configDir } from './config-dir.js';
import { type CliResult, runCli } from './run-cli.js';

// Issue #20: replay says where it posted and with which secret, and what to compare on a 401.

const EVENT = fileURLToPath(new URL('../../samples/events/use_case_review_comment.json', import.meta.url));
const OTHER_SECRET = `whsec_${Buffer.alloc(32, 9).toString('base64')}`;

const REST = `destinations:
  out: { console: {} }
routes:
  - to: [out]
`;

function expectOneStderrLine(result: CliResult, ...named: string[]): void {
  expect(result.code).toBe(1);
  const lines = result.stderr.trimEnd().split('\n');
  expect(lines).toHaveLength(1);
  for (const text of named) expect(lines[0]).toContain(text);
}

describe('credo-notify replay', () => {
  const world = processWithFakeSlack();

  it('of a missing file names the absolute path it tried, in one line', async () => {
    writeFileSync(world.configPath, `${processConfigHead()}${REST}`);
    const result = await runCli(['replay', 'events/missing.json', '--config', world.configPath], {
      cwd: world.dir,
      env: world.env,
    });
    expectOneStderrLine(result, join(world.dir, 'events/missing.json'), 'ENOENT');
  });

  it('prints the URL it posted to and which secret signed it, never the secret', async () => {
    writeFileSync(world.configPath, `${processConfigHead({ eventTypeSuffix: 'v1' })}${REST}`);
    const server = await world.start();
    const url = `${server.url}/webhooks/credo`;
    const result = await runCli(['replay', EVENT, '--url', url, '--config', world.configPath], {
      env: world.env,
    });
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toContain(
      `POST ${url}, signed with credo.auth.secrets[0] of ${world.configPath}\n`,
    );
    expect(result.stdout).toMatch(/^200 /m);
    expect(result.stdout).not.toContain(TEST_SECRET);
  });

  it('on a 401 says which secrets to compare: the running server’s and the config replay read', async () => {
    writeFileSync(world.configPath, `${processConfigHead({ eventTypeSuffix: 'v1' })}${REST}`);
    const server = await world.start();
    const replayConfig = join(
      configDir(`credo:\n  auth: { secrets: ["${OTHER_SECRET}"] }\n${REST}`),
      'credo-notify.yaml',
    );
    const result = await runCli([
      'replay',
      EVENT,
      '--url',
      `${server.url}/webhooks/credo`,
      '--config',
      replayConfig,
    ]);
    expect(result.stdout).toMatch(/^401 .*CN_SIGNATURE_INVALID/m);
    expectOneStderrLine(
      result,
      'credo.auth.secrets (or CREDO_WEBHOOK_SECRET) the running server started with',
      `credo.auth.secrets[0] of ${replayConfig}`,
    );
    expect(result.stderr + result.stdout).not.toContain(OTHER_SECRET);
  });
});
