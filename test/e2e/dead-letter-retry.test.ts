import { writeFileSync } from 'node:fs';
import { beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../cli/run-cli.js';
import { fixtureEvent } from '../helpers/fixture-events.js';
import { processConfigHead, processWithFakeSlack } from '../helpers/process-with-fake-slack.js';
import type { ServerProcess } from '../helpers/server-process.js';
import { sendSigned } from '../helpers/signed-delivery.js';
import { eventually } from '../helpers/test-server.js';

const COMMENT = fixtureEvent('use_case_review_comment').body;
const ADMIN_TOKEN = 'e2e-admin-token-0123456789abcdef';

const configText = (channel: string) => `${processConfigHead({ eventTypeSuffix: 'v1' })}destinations:
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
  const world = processWithFakeSlack();
  let server: ServerProcess;

  beforeEach(async () => {
    writeFileSync(world.configPath, configText('C0WRONG'));
    server = await world.start({ ADMIN_TOKEN });
  });

  /** The CLI, given what the operator's shell (or .env) gives the server too. */
  const cli = (...args: string[]) =>
    runCli(['dead-letters', ...args, '--config', world.configPath], { env: { ...world.env, ADMIN_TOKEN } });
  const posts = () => world.slack.callsTo('chat.postMessage');

  /** Slack refuses the channel; waits until the server has given the message up. */
  const makeDeadLetter = async (running: ServerProcess) => {
    world.slack.answerNext('chat.postMessage', { error: 'channel_not_found' });
    expect((await sendSigned(`${running.url}/webhooks/credo`, COMMENT)).status).toBe(200);
    await running.waitForLine((line) => line.includes('"msg":"delivery dead-lettered"'));
  };
  /** Saves the fixed channel and waits for the running server to take it. */
  const fixChannel = async (running: ServerProcess) => {
    writeFileSync(world.configPath, configText('C0FIXED'));
    await running.waitForLine((line) => line.includes('"msg":"config reloaded"'));
  };

  it('with the CLI: list shows it, retry sends it with the fixed config', async () => {
    await makeDeadLetter(server);
    await fixChannel(server);

    const listed = await cli('list', '--json');
    expect(listed).toMatchObject({ code: 0, stderr: '' });
    const [letter] = JSON.parse(listed.stdout) as Array<{ id: number; lastError: string }>;
    expect(letter?.lastError).toBe(
      'CN_SLACK_CHANNEL_NOT_FOUND: channel_not_found: check C0WRONG in the config: Slack has no such ' +
        'channel, or the bot cannot see it (invite it to a private channel first)',
    );
    const retried = await cli('retry', String(letter?.id));

    expect(retried.code).toBe(0);
    await eventually(() => expect(posts()).toHaveLength(2));
    expect(posts().map((post) => post.body.channel)).toEqual(['C0WRONG', 'C0FIXED']);
    expect(JSON.stringify(posts()[1]?.body.blocks)).toContain('QHG9s995aVztB6Xc3caXyW');
    await eventually(async () => expect((await cli('list')).stdout).toMatch(/^No dead letters in sqlite:/));
  });

  it('with the admin API: the same, over HTTP with the bearer token', async () => {
    await makeDeadLetter(server);
    await fixChannel(server);
    const admin = (path: string, method = 'GET') =>
      fetch(`${server.url}/admin${path}`, { method, headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });

    const { deadLetters } = (await (await admin('/dead-letters')).json()) as {
      deadLetters: Array<{ id: number }>;
    };
    const retried = await admin(`/dead-letters/${deadLetters[0]?.id}/retry`, 'POST');

    expect(retried.status).toBe(200);
    await eventually(() => expect(posts()).toHaveLength(2));
    expect(posts()[1]?.body.channel).toBe('C0FIXED');
  });
});
