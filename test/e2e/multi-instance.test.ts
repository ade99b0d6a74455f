import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeSlack, type FakeSlackMessage, startFakeSlack } from '../helpers/fake-slack.js';
import { processConfigHead } from '../helpers/process-with-fake-slack.js';
import { type ServerProcess, startServerProcess, testTimingEnv } from '../helpers/server-process.js';
import { sendSigned } from '../helpers/signed-delivery.js';
import { eventually } from '../helpers/test-server.js';
import { type FreshSchema, freshSchema, postgresUrl } from '../setup/fresh-postgres.js';

const DELIVERIES = 500;
/** Spread over channels, so one instance's jobs are never all another's destinations. */
const CHANNELS = 50;
/** Every 10th delivery also reaches the other instance at the same moment, as a Svix retry might. */
const SENT_TWICE_EVERY = 10;
const SENDERS = 16;

const channelOf = (index: number) => `C0CH${String(index % CHANNELS).padStart(2, '0')}`;
const useCaseOf = (index: number) => `UseCase${String(index % CHANNELS).padStart(2, '0')}`;
const idOf = (index: number) => `msg_multi_${index}`;

/** `${NAME}` is read from each server's environment. */
const CONFIG_HEAD = `${processConfigHead({ store: `\${DATABASE_URL}` })}
mentions: { directMessages: { taggedUsers: false, taskAssignees: false } }
`;
/**
 * What is checked is exactly-once delivery across a kill, not how long a takeover or a pace
 * takes: a short lease (still longer than any send here) and pace instead of 15 s and 1 s.
 */
const SHORT_WAITS = testTimingEnv({ leaseMs: 3_000, pacing: [{ limit: 1, perMs: 50 }] });

/** One destination and one route per channel, so the work spreads across channels. */
function config(): string {
  const channels = Array.from({ length: CHANNELS }, (_, index) => index);
  return [
    CONFIG_HEAD,
    'destinations:',
    ...channels.map((index) => `  ch${index}: { slack: { channel: ${channelOf(index)} } }`),
    'routes:',
    ...channels.map((index) => `  - { match: { useCases: [${useCaseOf(index)}] }, to: [ch${index}] }`),
    '',
  ].join('\n');
}

const eventNumbered = (index: number) =>
  JSON.stringify({
    type: 'CredoAI.use_case_custom_field_updated',
    data: {
      useCaseId: useCaseOf(index),
      customFieldId: 'cf1',
      customFieldName: 'Multi-instance check',
      value: `event-${index}`,
    },
  });

/** The Svix id a posted message was sent for, from the metadata every post carries. */
const eventIdOf = (message: FakeSlackMessage) =>
  (message.metadata as { event_payload?: { event?: string } } | undefined)?.event_payload?.event;

/** Runs `work` over 0..count-1, at most `limit` at a time. */
async function inParallel(count: number, limit: number, work: (index: number) => Promise<void>) {
  let next = 0;
  const worker = async () => {
    while (next < count) await work(next++);
  };
  await Promise.all(Array.from({ length: limit }, worker));
}

describe.skipIf(!postgresUrl)('two instances on one PostgreSQL database (issue #6)', () => {
  let dir: string;
  let schema: FreshSchema;
  let slack: FakeSlack;
  const servers: ServerProcess[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'credo-notify-multi-'));
    schema = await freshSchema();
    // Posts take a while to answer, so the instance killed below dies with sends in flight.
    slack = await startFakeSlack({ latencyMs: 200 });
  });
  afterAll(async () => {
    await Promise.all(
      servers.filter((server) => server.child.exitCode === null).map((server) => server.kill()),
    );
    await slack?.close();
    await schema?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Reads the shared database, as an operator with psql would. */
  async function jobStates(): Promise<Record<string, number>> {
    const client = new Client({ connectionString: schema.url });
    await client.connect();
    try {
      const { rows } = await client.query<{ state: string; count: number }>(
        'SELECT state, count(*)::int AS count FROM jobs GROUP BY state',
      );
      return Object.fromEntries(rows.map((row) => [row.state, row.count]));
    } finally {
      await client.end();
    }
  }

  it('delivers every event exactly once across a kill -9 of one instance', async () => {
    const started = Date.now();
    const configPath = join(dir, 'credo-notify.yaml');
    writeFileSync(configPath, config());
    const env = { ...SHORT_WAITS, DATABASE_URL: schema.url, SLACK_API_URL: slack.url };
    // Both start, and so migrate, at the same moment.
    servers.push(...(await Promise.all([1, 2].map(() => startServerProcess({ configPath, env })))));
    const [doomed, survivor] = servers;
    if (!doomed || !survivor) throw new Error('expected two servers');

    /** Posts until one instance answers 200, starting with `first`, as Svix retries. */
    const deliver = async (index: number, first: ServerProcess) => {
      const order = first === doomed ? [doomed, survivor] : [survivor, doomed];
      for (let attempt = 0; ; attempt++) {
        const server = order[attempt % 2] ?? survivor;
        const answer = await sendSigned(`${server.url}/webhooks/credo`, eventNumbered(index), {
          id: idOf(index),
        }).catch(() => undefined);
        if (answer?.status === 200) return (await answer.json()) as { status: string };
        if (attempt > 20) throw new Error(`${idOf(index)} was never accepted`);
      }
    };

    let answered = 0;
    let killed: Promise<void> | undefined;
    const acceptedIds: string[] = [];
    let answers = 0;
    await inParallel(DELIVERIES, SENDERS, async (index) => {
      const first = index % 2 === 0 ? doomed : survivor;
      const copies = [deliver(index, first)];
      if (index % SENT_TWICE_EVERY === 0) copies.push(deliver(index, first === doomed ? survivor : doomed));
      for (const answer of await Promise.all(copies)) {
        answers += 1;
        if (answer.status === 'accepted') acceptedIds.push(idOf(index));
      }
      answered += 1;
      if (answered === DELIVERIES / 2) killed = doomed.kill();
    });
    await killed;
    const postedAtKill = slack.messages.length;

    await eventually(async () => expect(await jobStates()).toEqual({ done: DELIVERIES }), 90_000);
    const postsPerEvent = new Map<string, FakeSlackMessage[]>();
    for (const message of slack.messages) {
      const id = eventIdOf(message) ?? 'untagged';
      postsPerEvent.set(id, [...(postsPerEvent.get(id) ?? []), message]);
    }
    const expected = Array.from({ length: DELIVERIES }, (_, index) => [idOf(index), [channelOf(index)]]);
    const seen = Array.from({ length: DELIVERIES }, (_, index) => [
      idOf(index),
      (postsPerEvent.get(idOf(index)) ?? []).map((message) => message.channel),
    ]);
    expect(seen).toEqual(expected);
    expect(slack.messages).toHaveLength(DELIVERIES);
    // A delivery the killed instance stored but could not answer is "duplicate" on its retry.
    expect(new Set(acceptedIds).size).toBe(acceptedIds.length);
    expect(survivor.child.exitCode).toBeNull();

    console.info(
      `multi-instance: ${DELIVERIES} events (${answers - DELIVERIES} duplicate deliveries) ` +
        `delivered once each in ${Date.now() - started} ms; ${postedAtKill} posted when one instance ` +
        `was killed; ${slack.callsTo('conversations.history').length} look-ups after a possible earlier post`,
    );
  }, 150_000);
});
