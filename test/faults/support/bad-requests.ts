import { connect } from 'node:net';
import fc from 'fast-check';
import { loadFixtureEvents } from '../../helpers/fixture-events.js';
import { svixHeaders } from '../../helpers/signed-delivery.js';

/**
 * Requests no well-behaved Credo AI would send, as fast-check arbitraries. Bodies are signed
 * with the test secret unless the headers are what is being fuzzed: an unsigned body is turned
 * away at the signature check and never reaches the parser or the schemas.
 */
export interface BadRequest {
  body: string | Uint8Array;
  headers: Record<string, string>;
}

const fixtures = loadFixtureEvents();
const CONTENT_TYPES = [
  'application/json',
  'application/json; charset=utf-8',
  'text/plain',
  'application/x-www-form-urlencoded',
  'application/octet-stream',
];

function signed(body: string, contentType = 'application/json'): BadRequest {
  return { body, headers: { ...svixHeaders(body), 'content-type': contentType } };
}

/** Any bytes, signed as the text the server will decode them to. */
export const arbitraryBytes = fc
  .tuple(fc.uint8Array({ maxLength: 4096 }), fc.constantFrom(...CONTENT_TYPES))
  .map(([bytes, contentType]) => ({
    ...signed(Buffer.from(bytes).toString('utf8'), contentType),
    body: bytes,
  }));

/** Well-formed JSON of any shape: arrays, numbers, objects without `type` or `data`... */
export const arbitraryJson = fc.jsonValue({ maxDepth: 6 }).map((value) => signed(JSON.stringify(value)));

const ENVELOPE_FIELDS = new Set(['type', 'data', 'subject']);
const fieldNames = [...new Set(fixtures.flatMap((fixture) => Object.keys(fixture.envelope.data)))];

/** A real payload with some fields (of the envelope or its data) set to values of the wrong type. */
export const wrongTypes = fc
  .tuple(
    fc.nat({ max: fixtures.length - 1 }),
    fc.array(fc.tuple(fc.constantFrom(...ENVELOPE_FIELDS, ...fieldNames), fc.jsonValue({ maxDepth: 3 })), {
      minLength: 1,
      maxLength: 4,
    }),
  )
  .map(([index, changes]) => {
    const { envelope } = fixtures[index] as (typeof fixtures)[number];
    const data: Record<string, unknown> = { ...envelope.data };
    const top: Record<string, unknown> = {};
    for (const [field, value] of changes) (ENVELOPE_FIELDS.has(field) ? top : data)[field] = value;
    return signed(JSON.stringify({ ...envelope, data, ...top }));
  });

/** A valid event whose one field is text of about the body limit (1 MiB), under or over it. */
export const hugeBodies = fc.integer({ min: 900_000, max: 1_200_000 }).map((size) =>
  signed(
    JSON.stringify({
      type: 'CredoAI.use_case_custom_field_updated',
      data: {
        useCaseId: 'fanout-use-case-0',
        customFieldId: 'f',
        customFieldName: 'huge',
        value: 'x'.repeat(size),
      },
    }),
  ),
);

/** Arrays or objects nested thousands deep where an event allows any JSON value. */
export const deepJson = fc
  .tuple(fc.integer({ min: 1_000, max: 100_000 }), fc.boolean(), fc.boolean())
  .map(([depth, asObjects, knownType]) => {
    const deep = asObjects
      ? `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`
      : `${'['.repeat(depth)}${']'.repeat(depth)}`;
    return signed(
      knownType
        ? `{"type":"CredoAI.use_case_custom_field_updated","data":{"useCaseId":"fanout-use-case-0","customFieldId":"f","customFieldName":"deep","value":${deep}}}`
        : `{"type":"CredoAI.use_case_from_the_future","data":{"anything":${deep}}}`,
    );
  });

const printable = fc.integer({ min: 0x20, max: 0x7e }).map((code) => String.fromCharCode(code));
const headerValue = fc.oneof(
  { weight: 9, arbitrary: fc.string({ unit: printable, maxLength: 200 }) },
  { weight: 1, arbitrary: fc.string({ unit: printable, minLength: 8_000, maxLength: 20_000 }) },
);
const headerName = fc.stringMatching(/^x-[a-z0-9-]{1,20}$/);

/**
 * A real payload with its Svix headers missing, garbled, in the other spelling (webhook-*),
 * with several signatures, huge, or among random extra headers.
 */
export const fuzzedHeaders = fc
  .record({
    prefix: fc.constantFrom('svix', 'webhook', 'Svix'),
    id: fc.option(headerValue),
    timestamp: fc.option(
      fc.oneof(
        headerValue,
        fc.integer().map(String),
        fc.double().map(String),
        fc.constant(String(Math.floor(Date.now() / 1000))),
      ),
    ),
    signature: fc.option(
      fc.oneof(
        headerValue,
        fc.base64String({ maxLength: 200 }).map((base64) => `v1,${base64}`),
        fc
          .array(
            fc.base64String({ maxLength: 60 }).map((base64) => `v1,${base64}`),
            { maxLength: 50 },
          )
          .map((all) => all.join(' ')),
      ),
    ),
    contentType: fc.option(fc.constantFrom(...CONTENT_TYPES)),
    extra: fc.dictionary(headerName, headerValue, { maxKeys: 5 }),
  })
  .map(({ prefix, id, timestamp, signature, contentType, extra }) => {
    const headers: Record<string, string> = { ...extra };
    if (id !== null) headers[`${prefix}-id`] = id;
    if (timestamp !== null) headers[`${prefix}-timestamp`] = timestamp;
    if (signature !== null) headers[`${prefix}-signature`] = signature;
    if (contentType !== null) headers['content-type'] = contentType;
    return { body: (fixtures[0] as (typeof fixtures)[number]).body, headers };
  });

/** Every kind above but the ones that make the server hold a lot of memory for a moment. */
export const anyBadRequest = fc.oneof(arbitraryBytes, arbitraryJson, wrongTypes, fuzzedHeaders);

/**
 * The status the server answered, or 0 when it answered nothing. A broken connection is tried
 * once more: a keep-alive connection the server closes just as the client reuses it is a race
 * of the client's, not an answer; a server that is gone fails twice.
 */
export async function statusFor(url: string, request: BadRequest, triesLeft = 1): Promise<number> {
  try {
    const answer = await fetch(url, { method: 'POST', headers: request.headers, body: request.body });
    await answer.arrayBuffer();
    return answer.status;
  } catch {
    return triesLeft > 0 ? statusFor(url, request, triesLeft - 1) : 0;
  }
}

/**
 * Writes bytes that need not be HTTP at all to the server's port, and returns the status line's
 * code of whatever came back, or 0 when the server just closed the connection.
 */
export function rawStatusFor(baseUrl: string, bytes: Uint8Array): Promise<number> {
  const { hostname, port } = new URL(baseUrl);
  return new Promise((resolve) => {
    const socket = connect(Number(port), hostname);
    let answer = '';
    socket.setTimeout(5_000, () => {
      socket.destroy();
      // Silence is fine too: the server waits for the rest of a request that never comes.
      resolve(0);
    });
    socket.on('data', (chunk) => {
      answer += chunk.toString('latin1');
    });
    // A reset is an answer too; whether the server survived is checked apart.
    socket.on('error', () => resolve(0));
    socket.on('close', () => resolve(Number(answer.match(/^HTTP\/1\.[01] (\d{3})/)?.[1] ?? 0)));
    socket.end(bytes);
  });
}
