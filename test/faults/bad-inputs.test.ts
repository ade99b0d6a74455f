import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  anyBadRequest,
  arbitraryBytes,
  arbitraryJson,
  type BadRequest,
  deepJson,
  fuzzedHeaders,
  hugeBodies,
  rawStatusFor,
  statusFor,
  wrongTypes,
} from './support/bad-requests.js';
import { type FanoutServer, startFanoutServer } from './support/fanout-server.js';
import { byLength } from './support/fault-length.js';

const RUNS = byLength(40, 500);
const HUGE_RUNS = byLength(4, 40);
const MEMORY_ROUNDS = byLength(3, 6);
const REQUESTS_PER_ROUND = byLength(400, 4_000);
const CONCURRENCY = 8;
const MB = 1024 * 1024;
/** Resident memory may settle a little higher after the first rounds; a leak keeps climbing. */
const ALLOWED_GROWTH_BYTES = 25 * MB;

let server: FanoutServer;
beforeAll(async () => {
  server = await startFanoutServer({ channels: 4 });
});
afterAll(() => server.close());

/** A 5xx tells Svix to retry for a day, and 0 means no answer at all: neither is acceptable. */
async function expectRefusedOrAccepted(request: BadRequest): Promise<void> {
  const status = await statusFor(server.webhookUrl, request);
  expect(status, `answer to ${JSON.stringify(request.headers).slice(0, 300)}`).toBeGreaterThanOrEqual(200);
  expect(status).toBeLessThan(500);
}

const eachAnswered = (arbitrary: fc.Arbitrary<BadRequest>, numRuns = RUNS) =>
  fc.assert(fc.asyncProperty(arbitrary, expectRefusedOrAccepted), { numRuns });

describe('bad input never gets a 5xx nor takes the server down', () => {
  it('arbitrary bytes, signed', () => eachAnswered(arbitraryBytes));
  it('JSON of any shape', () => eachAnswered(arbitraryJson));
  it('real payloads with fields of the wrong type', () => eachAnswered(wrongTypes));
  it('missing, garbled, huge or extra headers', () => eachAnswered(fuzzedHeaders));
  it('bodies around the 1 MiB limit', () => eachAnswered(hugeBodies, HUGE_RUNS));

  // Deep nesting would overflow the stack in zod or in the store's JSON.stringify: the webhook
  // route refuses it up front (receiver/json-depth.ts), as malformed, so Svix does not retry it.
  it('JSON nested thousands deep is refused with a 400', () =>
    fc.assert(
      fc.asyncProperty(deepJson, async (request) => {
        expect(await statusFor(server.webhookUrl, request)).toBe(400);
      }),
      { numRuns: byLength(10, 100) },
    ));

  it('bytes that are not HTTP at all', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ minLength: 1, maxLength: 2_000 }), async (bytes) => {
        expect(await rawStatusFor(server.baseUrl, bytes)).toBeLessThan(500);
      }),
      { numRuns: RUNS },
    );
  });

  it(`keeps its memory over ${MEMORY_ROUNDS} rounds of ${REQUESTS_PER_ROUND} bad requests`, async () => {
    const afterRound: number[] = [];
    for (let round = 0; round < MEMORY_ROUNDS; round++) {
      const requests = fc.sample(anyBadRequest, REQUESTS_PER_ROUND);
      const statuses = await sendAll(requests);
      expect(statuses.filter((status) => status === 0 || status >= 500)).toEqual([]);
      afterRound.push(server.process.memory().rssBytes);
    }
    const [settled = 0] = afterRound;
    expect(Math.max(...afterRound) - settled, `RSS after each round: ${afterRound.map(inMb)}`).toBeLessThan(
      ALLOWED_GROWTH_BYTES,
    );
  }, 300_000);

  afterAll(async () => {
    // Still the same process, still healthy.
    expect(server.process.child.exitCode).toBeNull();
    expect((await fetch(`${server.baseUrl}/healthz`)).status).toBe(200);
  });
});

async function sendAll(requests: BadRequest[]): Promise<number[]> {
  const statuses: number[] = [];
  let next = 0;
  const sender = async () => {
    while (next < requests.length)
      statuses.push(await statusFor(server.webhookUrl, requests[next++] as BadRequest));
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, sender));
  return statuses;
}

function inMb(bytes: number): string {
  return `${(bytes / MB).toFixed(0)} MB`;
}
