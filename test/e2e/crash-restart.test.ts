import { writeFileSync } from 'node:fs';
import { beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../cli/run-cli.js';
import { processConfigHead, processWithFakeSlack } from '../helpers/process-with-fake-slack.js';
import { testTimingEnv } from '../helpers/server-process.js';
import { sendSigned } from '../helpers/signed-delivery.js';
import { eventually } from '../helpers/test-server.js';
import { refusedUrl } from '../notify/failures.js';

const CONFIG = `${processConfigHead()}destinations:
  governance: { slack: { channel: C0GOVERNANCE } }
  audit: { slack: { channel: C0AUDIT } }
routes:
  - match: { events: ["*"] }
    to: [governance, audit]
`;

/**
 * What is checked is that nothing is lost or sent twice, not how long a takeover or a pace
 * takes: short waits instead of the 15 s lease and Slack's 1 s pace. The lease still outlasts
 * any send to the fake.
 */
const SHORT_WAITS = testTimingEnv({
  leaseMs: 3_000,
  pacing: [{ limit: 1, perMs: 50 }],
  backoff: { baseMs: 100, factor: 2, capMs: 1_000 },
});

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

describe('a real server process', () => {
  const world = processWithFakeSlack();
  beforeEach(() => {
    writeFileSync(world.configPath, CONFIG);
  });

  it('loses no acknowledged event to kill -9, and delivers each exactly once after restart', async () => {
    const count = 12;
    // Slack unreachable: every send is refused, so acknowledged work stays queued.
    let server = await world.start({ ...SHORT_WAITS, SLACK_API_URL: await refusedUrl('/api/') });
    const webhook = `${server.url}/webhooks/credo`;
    const answers = await Promise.all(
      Array.from({ length: count }, (_, i) => sendSigned(webhook, eventNumbered(i))),
    );
    expect(answers.map((a) => a.status)).toEqual(Array(count).fill(200));
    await server.kill();

    server = await world.start(SHORT_WAITS);
    const posts = await eventually(() => {
      const calls = world.slack.callsTo('chat.postMessage');
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
    let server = await world.start();
    const body = eventNumbered(1);
    const first = await sendSigned(`${server.url}/webhooks/credo`, body, { id: 'msg_same' });
    expect(await first.json()).toMatchObject({ status: 'accepted' });
    await server.kill();
    server = await world.start();
    const again = await sendSigned(`${server.url}/webhooks/credo`, body, { id: 'msg_same' });
    expect(await again.json()).toMatchObject({ status: 'duplicate' });
  });

  it('stops cleanly on SIGTERM with exit code 0', async () => {
    const server = await world.start();
    await sendSigned(`${server.url}/webhooks/credo`, eventNumbered(2));
    await eventually(() => expect(world.slack.callsTo('chat.postMessage')).toHaveLength(2));
    expect(await server.stop()).toBe(0);
    expect(server.lines.some((line) => line.includes('"msg":"stopped"'))).toBe(true);
  });
});

const ONE_CHANNEL = `${processConfigHead()}destinations:
  governance: { slack: { channel: C0GOVERNANCE } }
routes:
  - match: { events: ["*"] }
    to: [governance]
`;

/**
 * Issue #12: on SQLite one process owns the file, so what a killed one left running is due at
 * once after a restart, not when its 60 s lease runs out; and a second `serve` on the file is
 * refused. The real lease here; a short pace and backoff, which are not what is tested.
 */
const FAST_PACE = testTimingEnv({
  pacing: [{ limit: 1, perMs: 50 }],
  backoff: { baseMs: 100, factor: 2, capMs: 1_000 },
});

describe('a restart on SQLite', () => {
  const world = processWithFakeSlack();
  beforeEach(() => {
    writeFileSync(world.configPath, ONE_CHANNEL);
  });

  it('resumes at once what a kill -9 left running: 20 events reach the channel, each once, within seconds', {
    timeout: 40_000,
  }, async () => {
    // Slack takes the first post and never answers it: the job is running when the process dies.
    world.slack.answerNext('chat.postMessage', { hang: true });
    let server = await world.start(FAST_PACE);
    for (let i = 0; i < 20; i += 1) {
      expect((await sendSigned(`${server.url}/webhooks/credo`, eventNumbered(i))).status).toBe(200);
    }
    await eventually(() => expect(world.slack.callsTo('chat.postMessage')).toHaveLength(1));
    await server.kill();

    const restartedAt = Date.now();
    server = await world.start(FAST_PACE);
    const delivered = await eventually(() => {
      const numbers = new Set(
        world.slack.messages
          .filter((message) => message.channel === 'C0GOVERNANCE')
          .map((message) => String(message.text).match(/event-(\d+)/)?.[1]),
      );
      expect(numbers.size).toBe(20);
      return Date.now() - restartedAt;
    }, 20_000);
    // Well inside the 60 s the dead process's lease would have held the channel.
    expect(delivered).toBeLessThan(15_000);
    const texts = world.slack.messages
      .filter((message) => message.channel === 'C0GOVERNANCE')
      .map((message) => String(message.text));
    expect(new Set(texts).size).toBe(texts.length);
    expect(
      server.lines.some((line) => line.includes('resuming the jobs a previous process left running')),
    ).toBe(true);
  });

  it('refuses a second serve on the same file, saying which process has it', async () => {
    const first = await world.start(FAST_PACE);
    const second = await runCli(['serve', '--config', world.configPath], {
      env: { ...world.env, ...FAST_PACE },
    });

    expect(second.code).toBe(1);
    expect(second.stderr).toMatch(
      new RegExp(
        `^credo-notify could not start: another credo-notify \\(pid ${first.child.pid}\\) serves sqlite:.*store\\.db: stop it first`,
      ),
    );
    expect((await fetch(`${first.url}/healthz`)).status).toBe(200);
  });
});
