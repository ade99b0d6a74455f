import { once } from 'node:events';
import { writeFileSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type FakeCredoApi, startFakeCredoApi } from '../helpers/fake-credo-api.js';
import { fixtureEvent } from '../helpers/fixture-events.js';
import { processWithFakeSlack } from '../helpers/process-with-fake-slack.js';
import type { ServerProcess } from '../helpers/server-process.js';
import { sendSigned, TEST_SECRET } from '../helpers/signed-delivery.js';

/**
 * Issue 14, "one comment, thousands of jobs": a signed comment holding 20,000 mention markups
 * (458 KB) was answered `"deliveries":40004`, and `/healthz` then went unanswered for over a
 * minute while the server looked up every person of the event for each of its 40,004 jobs. The
 * same comment, against the real `credo-notify serve`, a fake Slack and a fake Credo AI API.
 */

const MENTIONS = 20_000;
const MAX_PER_EVENT = 50;
const HEALTHZ_EVERY_MS = 20;
const HEALTHZ_WITHIN_MS = 100;

const world = processWithFakeSlack();
let credo: FakeCredoApi;
beforeEach(async () => {
  credo = await startFakeCredoApi();
});
afterEach(() => credo.close());

/** Tagged in the payload's `taggedUsers`. */
const JOHN_ID = 'MMC8qELwNoq9V27Y2cvqHf';
const userId = (i: number) => `u${String(i).padStart(7, '0')}`;

/**
 * The comment event Credo AI sent, "Hello @[John Doe](users:…)" with John Doe tagged: the
 * captured payload, kept in samples/events/.
 */
const sentComment = () => structuredClone(fixtureEvent('use_case_review_comment').envelope);

/** That comment, its text now 20,000 mentions of different people. */
function floodComment(): string {
  const event = sentComment();
  const mentions = Array.from({ length: MENTIONS }, (_, i) => `@[P ${i}](users:${userId(i)})`);
  event.data.comment = `Please look, ${mentions.join(' ')}`;
  return JSON.stringify(event);
}

function writeConfig(): void {
  writeFileSync(
    world.configPath,
    `server: { host: 127.0.0.1, port: "\${PORT}" }
store: { url: "sqlite:\${DB_PATH}" }
credo:
  auth: { method: svix, secrets: ["${TEST_SECRET}"] }
  eventTypePrefix: CredoAI
  api: { url: "${credo.url}", tenant: ${credo.tenant}, token: ${credo.token} }
slack: { botToken: xoxb-test-token, apiUrl: "\${SLACK_API_URL}" }
destinations: { governance: { slack: { channel: C0GOVERNANCE } } }
routes: [{ to: [governance] }]
`,
  );
}

/**
 * Asks `/healthz` every 20 ms, one request after the other, and keeps how long each took. From a
 * thread of its own, as a monitor would from outside: this process also runs the fake Slack
 * and the fake Credo AI API, and their work must not count as the server's.
 */
const HEALTHZ_POLLER = `
  const { parentPort, workerData } = require('node:worker_threads');
  let polling = true;
  parentPort.on('message', () => { polling = false; });
  const ask = async () => {
    const started = performance.now();
    const response = await fetch(workerData.url);
    await response.text();
    if (response.status !== 200) throw new Error('/healthz answered ' + response.status);
    return performance.now() - started;
  };
  (async () => {
    // The first fetch of a thread loads fetch itself, and opens the connection: not the server's time.
    await ask();
    parentPort.postMessage('ready');
    const latenciesMs = [];
    while (polling) {
      latenciesMs.push(await ask());
      await new Promise((resume) => setTimeout(resume, workerData.everyMs));
    }
    parentPort.postMessage(latenciesMs);
  })();
`;

/** Resolves once the poller has its connection and asks on. */
async function pollHealthz(url: string): Promise<{ stop: () => Promise<number[]> }> {
  const poller = new Worker(HEALTHZ_POLLER, {
    eval: true,
    workerData: { url: `${url}/healthz`, everyMs: HEALTHZ_EVERY_MS },
  });
  const failed = new Promise<never>((_, reject) => poller.once('error', reject));
  const next = () => Promise.race([once(poller, 'message').then(([message]) => message), failed]);
  expect(await next()).toBe('ready');
  const latencies = next() as Promise<number[]>;
  return {
    async stop() {
      poller.postMessage('stop');
      const latenciesMs = await latencies;
      await poller.terminate();
      return latenciesMs;
    },
  };
}

/** The log lines in which the worker settled one of the event's jobs, however it went. */
function settledJobs(server: ServerProcess, eventId: string): number {
  return server.lines.filter((line) => {
    const entry = line.startsWith('{') ? (JSON.parse(line) as Record<string, unknown>) : undefined;
    return (
      entry?.eventId === eventId &&
      typeof entry.msg === 'string' &&
      /^(delivered|delivery dead-lettered|direct message not sent)/.test(entry.msg)
    );
  }).length;
}

describe('a comment mentioning 20,000 people', () => {
  it('is accepted, makes at most 50 direct messages, and /healthz answers within 100 ms throughout', {
    timeout: 120_000,
  }, async () => {
    // Everyone it mentions is a Credo AI user with an email, and on Slack: nobody is out of reach.
    credo.users.set(JOHN_ID, { email: 'john.doe@acme.com', given_name: 'John', family_name: 'Doe' });
    world.slack.users.set('john.doe@acme.com', 'U0JOHN');
    for (let i = 0; i < MENTIONS; i++) {
      credo.users.set(userId(i), { email: `${userId(i)}@acme.com`, given_name: 'P', family_name: String(i) });
      world.slack.users.set(`${userId(i)}@acme.com`, `U${i}`);
    }
    writeConfig();
    const server = await world.start();
    // A server that has delivered a comment before, as one under attack would have: its first
    // message of each kind does one-off work (templates compiled, connections opened).
    const first = await sendSigned(`${server.url}/webhooks/credo`, JSON.stringify(sentComment()), {
      id: 'msg_first',
    });
    expect(await first.json()).toMatchObject({ deliveries: 2 });
    await expect.poll(() => settledJobs(server, 'msg_first'), { timeout: 20_000 }).toBe(2);
    world.slack.messages.length = 0;
    credo.requests.length = 0;
    world.slack.calls.length = 0;

    const body = floodComment();
    expect(Buffer.byteLength(body)).toBeGreaterThan(450_000);

    const healthz = await pollHealthz(server.url);
    const response = await sendSigned(`${server.url}/webhooks/credo`, body, { id: 'msg_flood' });
    const answer = (await response.json()) as { deliveries: number };
    expect(response.status).toBe(200);
    // The channel's message, and one DM to each of the first 50 people named.
    expect(answer.deliveries).toBe(1 + MAX_PER_EVENT);
    await expect
      .poll(() => settledJobs(server, 'msg_flood'), { timeout: 60_000, interval: 100 })
      .toBe(answer.deliveries);
    const latenciesMs = await healthz.stop();

    const directMessages = world.slack.messages.filter((message) => message.channel.startsWith('D'));
    expect(directMessages.length).toBeLessThanOrEqual(MAX_PER_EVENT);
    // John Doe, whom `taggedUsers` names, is one of them; the 49 others the text mentions first.
    expect(directMessages).toHaveLength(MAX_PER_EVENT);
    // Only the people within the cap were looked up, at Credo AI and on Slack.
    expect(credo.requests.filter((request) => request.path.includes('/users/')).length).toBeLessThanOrEqual(
      MAX_PER_EVENT,
    );
    expect(world.slack.callsTo('users.lookupByEmail').length).toBeLessThanOrEqual(MAX_PER_EVENT);
    // In the channel, the people within the cap are mentioned; the rest are plain names.
    const channelPost = JSON.stringify(world.slack.messages.find((m) => m.channel === 'C0GOVERNANCE'));
    expect(channelPost).toContain('<@U47> <@U48> P 49 P 50');
    expect(channelPost).not.toContain('<@U49>');
    const over = server.lines.filter((line) => line.includes('"code":"CN_MENTIONS_PAST_CAP"'));
    expect(over).toHaveLength(1);

    const slowest = Math.max(...latenciesMs);
    console.info(
      `comment flood: ${latenciesMs.length} /healthz answers, slowest ${slowest.toFixed(1)} ms; ` +
        `${directMessages.length} DMs; peak RSS ${(server.memory().peakRssBytes / 2 ** 20).toFixed(0)} MB`,
    );
    expect(latenciesMs.length).toBeGreaterThan(5);
    expect(slowest).toBeLessThan(HEALTHZ_WITHIN_MS);
  });
});
