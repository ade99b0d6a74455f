import { createServer, type Server } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { postgresUrl } from '../setup/fresh-postgres.js';
import { CONSOLE_ONLY, configDir } from './config-dir.js';
import { type CliResult, runCli } from './run-cli.js';

// Issue #20, errors a person can act on: `serve` refuses in one line that names the key, not a stack.

function serveWith(yaml: string, files: Record<string, string> = {}): Promise<CliResult> {
  return runCli(['serve'], { cwd: configDir(`${CONSOLE_ONLY}${yaml}`, files), env: { LOG_LEVEL: 'silent' } });
}

function expectOneLineRefusal(result: CliResult, ...named: string[]): void {
  expect(result.code).toBe(1);
  const lines = result.stderr.trimEnd().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^credo-notify could not start: .* \(CN_[A-Z_]+\)$/);
  for (const text of named) expect(lines[0]).toContain(text);
}

/** `check` in the same folder finds what `serve` refused, in the same words. */
async function expectCheckToSay(dir: string, refused: CliResult): Promise<void> {
  const checked = await runCli(['check'], { cwd: dir });
  expect(checked.code).toBe(1);
  const message = refused.stderr.replace(/^credo-notify could not start: (.*) \(CN_\w+\)\n$/, '$1');
  expect(checked.stderr).toContain(`: ${message}\n`);
}

let occupied: Server | undefined;
afterEach(() => {
  occupied?.close();
  occupied = undefined;
});

/** A port something else listens on. */
async function portInUse(): Promise<number> {
  const server = createServer();
  occupied = server;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as { port: number }).port;
}

/** A port nothing listens on (it did a moment ago). */
async function closedPort(): Promise<number> {
  const port = await portInUse();
  await new Promise((resolve) => occupied?.close(resolve));
  occupied = undefined;
  return port;
}

describe('serve refuses in one line', () => {
  it('when the port is in use, naming host:port, server.port and PORT', async () => {
    const port = await portInUse();
    const result = await serveWith(
      `server: { host: 127.0.0.1, port: ${port} }\nstore: { url: "sqlite:./data/x.db" }\n`,
    );
    expectOneLineRefusal(result, `127.0.0.1:${port} is in use`, 'server.port / PORT', 'CN_PORT_IN_USE');
  });

  it.skipIf(process.getuid?.() === 0)('when the port is privileged, naming server.port', async () => {
    const result = await serveWith('server: { host: 127.0.0.1, port: 80 }\n');
    expectOneLineRefusal(result, '127.0.0.1:80', 'server.port / PORT', 'CN_PORT_NOT_PERMITTED');
  });

  it('when the data folder cannot be created, with the message check prints', async () => {
    const dir = configDir(`${CONSOLE_ONLY}store: { url: "sqlite:./blocker/data/x.db" }\n`, {
      blocker: 'a file where the data folder should be',
    });
    const result = await runCli(['serve'], { cwd: dir, env: { LOG_LEVEL: 'silent' } });
    expectOneLineRefusal(
      result,
      'store.url: cannot create or write the data folder',
      'CN_DATA_FOLDER_UNWRITABLE',
    );
    await expectCheckToSay(dir, result);
  });

  it('when PostgreSQL is not there, naming host:port and store.url, without the password', async () => {
    const port = await closedPort();
    const result = await serveWith(`store: { url: "postgres://credo:hunter2@127.0.0.1:${port}/notify" }\n`);
    expectOneLineRefusal(
      result,
      `PostgreSQL at 127.0.0.1:${port} (ECONNREFUSED) (store.url)`,
      'CN_STORE_UNREACHABLE',
    );
    expect(result.stderr).not.toContain('hunter2');
  });

  it.skipIf(!postgresUrl)(
    'when PostgreSQL refuses the database, naming the step, without the password',
    async () => {
      const url = new URL(postgresUrl ?? '');
      url.password = 'hunter3';
      url.pathname = '/no_such_database';
      const result = await serveWith(`store: { url: "${url}" }\n`);
      expectOneLineRefusal(
        result,
        `PostgreSQL at ${url.host}`,
        '"no_such_database" does not exist',
        '(store.url): correct the user, password or database',
        'CN_STORE_UNREACHABLE',
      );
      expect(result.stderr).not.toContain('hunter3');
    },
  );

  it('when a template does not compile, with the message check prints', async () => {
    const dir = configDir(`${CONSOLE_ONLY}templates: { dir: ./my-templates }\n`, {
      'my-templates/slack/use_case_review_comment.hbs': '{ "text": "x",\n "blocks": [ {{#each}} ] }',
    });
    const result = await runCli(['serve'], { cwd: dir, env: { LOG_LEVEL: 'silent' } });
    expectOneLineRefusal(result, 'use_case_review_comment.hbs:2: Parse error', 'CN_TEMPLATE_INVALID');
    await expectCheckToSay(dir, result);
  });
});
