import { describe, expect, it } from 'vitest';
import { systemClock } from '../../src/clock.js';
import { configSchema } from '../../src/config/schema.js';
import { createFailedAuthLimit } from '../../src/http/failed-auth-limit.js';
import { createLogger } from '../../src/log.js';
import { createAuthentication } from '../../src/receiver/authenticate.js';
import { type ReceiveDeps, receiveDelivery } from '../../src/receiver/receive-delivery.js';
import { compileRoutes } from '../../src/routing/route-event.js';
import type { AcceptResult, NewEvent, NewJob } from '../../src/store/store.js';
import { routeWithSubscriptions } from '../../src/subscriptions/route-subscriptions.js';
import { fixtureEvent } from '../helpers/fixture-events.js';
import { svixHeaders, TEST_SECRET } from '../helpers/signed-delivery.js';

const COMMENT = fixtureEvent('use_case_review_comment').body;

/** What the log said, line by line, as the JSON objects pino wrote. */
function recordingLog() {
  const lines: Array<Record<string, unknown>> = [];
  const log = createLogger({ destination: { write: (line: string) => lines.push(JSON.parse(line)) } });
  return { log, lines };
}

/**
 * The real receive path (signature check, validation, routing) over a store that only records,
 * or fails as a store that is down does: no HTTP server anywhere.
 */
function receiver(
  acceptEvent: (event: NewEvent, jobs: readonly NewJob[]) => Promise<AcceptResult>,
  planDirectMessages: ReceiveDeps['planDirectMessages'] = () => ({ jobs: [], mentionsPastCap: 0 }),
) {
  const config = configSchema.parse({
    credo: { auth: { secrets: [TEST_SECRET] } },
    destinations: { reviews: { console: {} } },
    routes: [{ match: { events: ['use_case_review_*'] }, to: ['reviews'] }],
  });
  const { log, lines } = recordingLog();
  const deps: ReceiveDeps = {
    config,
    router: routeWithSubscriptions(compileRoutes(config.routes), config),
    subscriptions: async () => [],
    authenticate: createAuthentication(config.credo.auth, {
      clock: systemClock,
      log,
      failedAuth: createFailedAuthLimit({ clock: systemClock }),
    }).authenticate,
    planDirectMessages,
    store: { acceptEvent },
    log,
    now: () => 1_000,
    unknownTypesSeen: new Set(),
  };
  const receive = (body: string, headers = svixHeaders(body)) =>
    receiveDelivery({ headers, rawBody: body, ip: '203.0.113.9' }, deps);
  return { receive, lines };
}

describe('receiveDelivery', () => {
  it('answers 503 CN_STORE_UNAVAILABLE when the store cannot take the event, so that Svix sends it again', async () => {
    const { receive, lines } = receiver(async () => {
      throw new Error('SQLITE_IOERR: disk I/O error');
    });

    const answer = await receive(COMMENT);

    expect(answer).toEqual({
      status: 503,
      body: { error: { code: 'CN_STORE_UNAVAILABLE', message: 'store unavailable, retry later' } },
      outcome: { kind: 'rejected', reason: 'store', code: 'CN_STORE_UNAVAILABLE' },
    });
    expect(JSON.stringify(answer.body)).not.toContain('SQLITE_IOERR');
    expect(lines).toContainEqual(
      expect.objectContaining({ msg: 'could not store the delivery', code: 'CN_STORE_UNAVAILABLE' }),
    );
  });

  it('lets other requests in between the steps of a large delivery (issue 14)', async () => {
    const order: string[] = [];
    const { receive } = receiver(async () => {
      order.push('stored');
      return 'accepted';
    });
    const envelope = JSON.parse(COMMENT);
    envelope.data.comment = `${'x'.repeat(100_000)} @[John Doe](users:MMC8qELwNoq9V27Y2cvqHf)`;
    const large = JSON.stringify(envelope);

    const answered = receive(large);
    // Queued once the signature is checked: a request read meanwhile, a /healthz say.
    setImmediate(() => order.push('another request'));

    expect((await answered).status).toBe(200);
    expect(order).toEqual(['another request', 'stored']);
  });

  it('logs once, as it accepts it, an event naming people past mentions.maxPerEvent (issue 14)', async () => {
    const outcomes: AcceptResult[] = ['accepted', 'duplicate'];
    const { receive, lines } = receiver(
      async () => outcomes.shift() ?? 'duplicate',
      () => ({ jobs: [], mentionsPastCap: 19_951 }),
    );
    const headers = svixHeaders(COMMENT, { id: 'msg_flood' });

    await receive(COMMENT, headers);
    await receive(COMMENT, headers);

    expect(lines.filter((line) => line.code === 'CN_MENTIONS_PAST_CAP')).toEqual([
      expect.objectContaining({ level: 40, svixId: 'msg_flood', mentionsPastCap: 19_951, maxPerEvent: 50 }),
    ]);
  });

  it('stores the event with its jobs, then answers 200 with what it accepted', async () => {
    const stored: Array<{ event: NewEvent; jobs: readonly NewJob[] }> = [];
    const { receive } = receiver(async (event, jobs) => {
      stored.push({ event, jobs });
      return 'accepted';
    });
    const headers = svixHeaders(COMMENT, { id: 'msg_unit_1' });

    const answer = await receive(COMMENT, headers);

    expect(answer).toEqual({
      status: 200,
      body: { status: 'accepted', id: 'msg_unit_1', type: 'use_case_review_comment', deliveries: 1 },
      outcome: { kind: 'accepted', type: 'use_case_review_comment', jobs: 1 },
    });
    expect(stored).toHaveLength(1);
    expect(stored[0]?.event).toMatchObject({
      id: 'msg_unit_1',
      receivedAt: 1_000,
      payload: JSON.parse(COMMENT),
    });
    expect(stored[0]?.jobs.map((job) => job.destination)).toEqual(['reviews']);
  });

  it('answers a duplicate 200 with no deliveries', async () => {
    const { receive } = receiver(async () => 'duplicate');
    const answer = await receive(COMMENT);
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ status: 'duplicate', deliveries: 0 });
    expect(answer.outcome).toEqual({ kind: 'duplicate', type: 'use_case_review_comment', jobs: 0 });
  });

  it('logs a duplicate with jobs: 0, since none of its planned jobs is stored (issue 20)', async () => {
    const outcomes: AcceptResult[] = ['accepted', 'duplicate'];
    const { receive, lines } = receiver(async () => outcomes.shift() ?? 'duplicate');
    const headers = svixHeaders(COMMENT, { id: 'msg_twice' });

    await receive(COMMENT, headers);
    await receive(COMMENT, headers);

    expect(lines.filter((line) => line.msg === 'delivery')).toEqual([
      expect.objectContaining({ svixId: 'msg_twice', outcome: 'accepted', jobs: 1 }),
      expect.objectContaining({ svixId: 'msg_twice', outcome: 'duplicate', jobs: 0 }),
    ]);
  });

  it('refuses before the store is asked anything, with the code in the answer, the outcome and the log', async () => {
    let asked = 0;
    const { receive, lines } = receiver(async () => {
      asked++;
      return 'accepted';
    });
    const forged = svixHeaders(COMMENT, { secret: `whsec_${Buffer.alloc(32, 9).toString('base64')}` });

    const cases = [
      [await receive(COMMENT, forged), 401, 'CN_SIGNATURE_INVALID', 'auth'],
      [await receive('{"type": '), 400, 'CN_BODY_INVALID_JSON', 'malformed'],
      [await receive('{"type": "CredoAI.use_case_review_comment"}'), 400, 'CN_ENVELOPE_INVALID', 'invalid'],
    ] as const;

    for (const [answer, status, code, reason] of cases) {
      expect(answer).toMatchObject({
        status,
        body: { error: { code } },
        outcome: { kind: 'rejected', reason, code },
      });
    }
    expect(asked).toBe(0);
    expect(lines.filter((line) => line.msg === 'delivery rejected').map((line) => line.code)).toEqual(
      cases.map(([, , code]) => code),
    );
  });

  it('warns of an unknown event type once, however often it comes', async () => {
    const { receive, lines } = receiver(async () => 'accepted');
    const body = JSON.stringify({ type: 'CredoAI.use_case_owner_changed.v1', data: { useCaseId: 'U' } });

    const answers = [await receive(body), await receive(body)];

    expect(answers.map((answer) => answer.outcome)).toEqual([
      { kind: 'accepted', type: 'unknown', jobs: 0 },
      { kind: 'accepted', type: 'unknown', jobs: 0 },
    ]);
    expect(lines.filter((line) => String(line.msg).startsWith('unknown event type'))).toHaveLength(1);
  });
});
