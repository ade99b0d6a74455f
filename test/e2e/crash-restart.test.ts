import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type FakeSlack, startFakeSlack } from '../helpers/fake-slack.js';
import { type ServerProcess, startServerProcess } from '../helpers/server-process.js';
import { sendSigned, TEST_SECRET } from '../helpers/signed-delivery.js';
import { eventually } from '../helpers/test-server.js';

const CONFIG = `
server: { host: 127.0.0.1, port: "\${PORT}" }
store: { url: "sqlite:\${DB_PATH}" }
credo:
  auth: { method: svix, secrets: ["${TEST_SECRET}"] }
  eventTypePrefix: CredoAI
slack: { botToken: xoxb-crash-test, apiUrl: "\${SLACK_API_URL}" }
destinations:
  governance: { slack: { channel: C0GOVERNANCE } }
  audit: { slack: { channel: C0AUDIT } }
routes:
  - match: { events: ["*"] }
    to: [governance, audit]
delivery: { leaseSeconds: 15 }
`;

const eventNumbered = (i: number) =>
  JSON.stringify({
    type: 'CredoAI.use_case_custom_field_updated',
    data: {
      useCaseId: 'QHG9s995aVztB6Xc3caXyW',
      customFieldId: 'cf1',
      customFieldName: 'Crash check',
      value: `event-${i}`,
    },
  });

/** A URL where nothing listens: every send is refused, so acknowledged work stays queued. */
async function refusedUrl(): Promise<string> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise((resolve) => probe.close(resolve));
  return `http://127.0.0.1:${port}/api/`;
}

describe('a real server process', () => {
  let dir: string;
  let configPath: string;
  let slack: FakeSlack;
  let server: ServerProcess | undefined;
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'credo-notify-crash-'));
    configPath = join(dir, 'credo-notify.yaml');
    writeFileSync(configPath, CONFIG);
    slack = await startFakeSlack();
  });
  afterEach(async () => {
    if (server?.child.exitCode === null) await server.kill();
    await slack.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const start = (slackUrl: string) =>
    startServerProcess({ configPath, env: { DB_PATH: join(dir, 'events.db'), SLACK_API_URL: slackUrl } });

  it('loses no acknowledged event to kill -9, and delivers each exactly once after restart', async () => {
    // Slack takes one message per second per channel: 12 events to 2 channels drain in about 12 s.
    const count = 12;
    server = await start(await refusedUrl());
    const webhook = `${server.url}/webhooks/credo`;
    const answers = await Promise.all(
      Array.from({ length: count }, (_, i) => sendSigned(webhook, eventNumbered(i))),
    );
    expect(answers.map((a) => a.status)).toEqual(Array(count).fill(200));
    await server.kill();

    server = await start(slack.url);
    const posts = await eventually(() => {
      const calls = slack.callsTo('chat.postMessage');
      expect(calls.length).toBeGreaterThanOrEqual(2 * count);
      return calls;
    }, 50_000);
    for (const channel of ['C0GOVERNANCE', 'C0AUDIT']) {
      const numbers = posts
        .filter((p) => p.body.channel === channel)
        .map((p) => String(p.body.text).match(/event-(\d+)/)?.[1]);
      for (let i = 0; i < count; i += 1) {
        expect(
          numbers.filter((n) => n === String(i)),
          `event-${i} in ${channel}`,
        ).toHaveLength(1);
      }
    }
  }, 60_000);

  it('treats a redelivery after a restart as a duplicate', async () => {
    server = await start(slack.url);
    const body = eventNumbered(1);
    const first = await sendSigned(`${server.url}/webhooks/credo`, body, { id: 'msg_same' });
    expect(await first.json()).toMatchObject({ status: 'accepted' });
    await server.kill();
    server = await start(slack.url);
    const again = await sendSigned(`${server.url}/webhooks/credo`, body, { id: 'msg_same' });
    expect(await again.json()).toMatchObject({ status: 'duplicate' });
  });

  it('stops cleanly on SIGTERM with exit code 0', async () => {
    server = await start(slack.url);
    await sendSigned(`${server.url}/webhooks/credo`, eventNumbered(2));
    await eventually(() => expect(slack.callsTo('chat.postMessage')).toHaveLength(2));
    expect(await server.stop()).toBe(0);
    expect(server.lines.some((line) => line.includes('"msg":"stopped"'))).toBe(true);
  });
});
