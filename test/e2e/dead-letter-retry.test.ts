import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../cli/run-cli.js';
import { type FakeSlack, startFakeSlack } from '../helpers/fake-slack.js';
import { loadFixtureEvents } from '../helpers/fixture-events.js';
import { type ServerProcess, startServerProcess } from '../helpers/server-process.js';
import { sendSigned, TEST_SECRET } from '../helpers/signed-delivery.js';
import { eventually } from '../helpers/test-server.js';

const COMMENT = loadFixtureEvents().find((f) => f.name === 'use_case_review_comment')?.body ?? '';
const ADMIN_TOKEN = 'e2e-admin-token-0123456789abcdef';

const configText = (channel: string) => `
server: { host: 127.0.0.1, port: "\${PORT}" }
store: { url: "sqlite:\${DB_PATH}" }
credo:
  auth: { method: svix, secrets: ["${TEST_SECRET}"] }
  eventTypePrefix: CredoAI
  eventTypeSuffix: v1
slack: { botToken: xoxb-dead-letter-test, apiUrl: "\${SLACK_API_URL}" }
destinations:
  governance: { slack: { channel: ${channel} } }
routes:
  - match: { events: ["*"] }
    to: [governance]
mentions: { directMessages: { taggedUsers: false, taskAssignees: false } }
admin: { token: "\${ADMIN_TOKEN:-}" }
`;

/**
 * The operator's story, with the real server process and the real CLI on one SQLite store: a
 * message Slack refuses for good becomes a dead letter; the operator fixes the config (the
 * running server reloads it) and retries; the message reaches Slack with the fixed config.
 */
describe('retrying a dead letter against a running server', () => {
  let dir: string;
  let configPath: string;
  let slack: FakeSlack;
  let server: ServerProcess | undefined;
  /** What the operator's shell (or .env) gives both the server and the CLI. */
  let env: NodeJS.ProcessEnv;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'credo-notify-dead-letters-'));
    configPath = join(dir, 'credo-notify.yaml');
    writeFileSync(configPath, configText('C0WRONG'));
    slack = await startFakeSlack();
    env = { PORT: '0', DB_PATH: join(dir, 'store.db'), SLACK_API_URL: slack.url, ADMIN_TOKEN };
    server = await startServerProcess({ configPath, env });
  });
  afterEach(async () => {
    if (server?.child.exitCode === null) await server.kill();
    await slack.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const cli = (...args: string[]) => runCli(['dead-letters', ...args, '--config', configPath], { env });
  const posts = () => slack.callsTo('chat.postMessage');

  /** Slack refuses the channel; waits until the server has given the message up. */
  const makeDeadLetter = async (running: ServerProcess) => {
    slack.answerNext('chat.postMessage', { error: 'channel_not_found' });
    expect((await sendSigned(`${running.url}/webhooks/credo`, COMMENT)).status).toBe(200);
    await running.waitForLine((line) => line.includes('"msg":"delivery dead-lettered"'));
  };
  /** Saves the fixed channel and waits for the running server to take it. */
  const fixChannel = async (running: ServerProcess) => {
    writeFileSync(configPath, configText('C0FIXED'));
    await running.waitForLine((line) => line.includes('"msg":"config reloaded"'));
  };

  it('with the CLI: list shows it, retry sends it with the fixed config', async () => {
    const running = server as ServerProcess;
    await makeDeadLetter(running);
    await fixChannel(running);

    const listed = await cli('list', '--json');
    expect(listed).toMatchObject({ code: 0, stderr: '' });
    const [letter] = JSON.parse(listed.stdout) as Array<{ id: number; lastError: string }>;
    expect(letter?.lastError).toBe('channel_not_found');
    const retried = await cli('retry', String(letter?.id));

    expect(retried.code).toBe(0);
    await eventually(() => expect(posts()).toHaveLength(2));
    expect(posts().map((post) => post.body.channel)).toEqual(['C0WRONG', 'C0FIXED']);
    expect(JSON.stringify(posts()[1]?.body.blocks)).toContain('QHG9s995aVztB6Xc3caXyW');
    await eventually(async () => expect((await cli('list')).stdout).toMatch(/^No dead letters in sqlite:/));
  });

  it('with the admin API: the same, over HTTP with the bearer token', async () => {
    const running = server as ServerProcess;
    await makeDeadLetter(running);
    await fixChannel(running);
    const admin = (path: string, method = 'GET') =>
      fetch(`${running.url}/admin${path}`, { method, headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });

    const { deadLetters } = (await (await admin('/dead-letters')).json()) as {
      deadLetters: Array<{ id: number }>;
    };
    const retried = await admin(`/dead-letters/${deadLetters[0]?.id}/retry`, 'POST');

    expect(retried.status).toBe(200);
    await eventually(() => expect(posts()).toHaveLength(2));
    expect(posts()[1]?.body.channel).toBe('C0FIXED');
  });
});
