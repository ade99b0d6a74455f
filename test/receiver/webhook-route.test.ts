import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadFixtureEvents } from '../helpers/fixture-events.js';
import { svixHeaders } from '../helpers/signed-delivery.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';

const PATH = '/webhooks/credo';
const fixtures = loadFixtureEvents();
const statusEvent = fixtures.find((f) => f.name === 'use_case_review_status_updated');
if (!statusEvent) throw new Error('fixture missing');

describe('POST /webhooks/credo', () => {
  let server: TestServer;
  // No route: the worker stays idle, so these tests see only what receiving stored.
  beforeAll(async () => {
    server = await startTestServer({ routes: [], server: { port: 0, bodyLimitBytes: 4096 } });
  });
  afterAll(() => server.close());

  const post = (body: string, headers: Record<string, string> = svixHeaders(body)) =>
    server.runtime.app.inject({ method: 'POST', url: PATH, headers, payload: body });

  it.each(fixtures.map((f) => [f.name, f] as const))(
    'accepts %s as its own type and stores it',
    async (_name, fixture) => {
      const headers = svixHeaders(fixture.body);
      const response = await post(fixture.body, headers);
      expect(response.statusCode).toBe(200);
      expect(response.json()).toMatchObject({
        status: 'accepted',
        type: fixture.eventType,
        id: headers['svix-id'],
      });
      const stored = await server.runtime.store.getEvent(headers['svix-id'] as string);
      expect(stored?.type).toBe(fixture.eventType);
      expect(stored?.payload).toEqual(JSON.parse(fixture.body));
    },
  );

  it('answers a redelivery with 2xx and changes nothing', async () => {
    const headers = svixHeaders(statusEvent.body);
    expect((await post(statusEvent.body, headers)).json().status).toBe('accepted');
    const again = await post(statusEvent.body, svixHeaders(statusEvent.body, { id: headers['svix-id'] }));
    expect(again.statusCode).toBe(200);
    expect(again.json().status).toBe('duplicate');
  });

  it('rejects a bad signature with 401 and stores nothing', async () => {
    const headers = svixHeaders(statusEvent.body, {
      secret: `whsec_${Buffer.alloc(32, 9).toString('base64')}`,
    });
    const response = await post(statusEvent.body, headers);
    expect(response.statusCode).toBe(401);
    expect(response.json().error).toMatchObject({
      code: 'CN_SIGNATURE_INVALID',
      message: expect.stringMatching(/signature/),
    });
    expect(await server.runtime.store.getEvent(headers['svix-id'] as string)).toBeUndefined();
  });

  it('rejects a tampered body and a stale timestamp with 401', async () => {
    const headers = svixHeaders(statusEvent.body);
    const tampered = await post(statusEvent.body.replace('in_progress', 'approved'), headers);
    expect(tampered.statusCode).toBe(401);
    expect(tampered.json().error.code).toBe('CN_SIGNATURE_INVALID');
    const stale = svixHeaders(statusEvent.body, { timestamp: Math.floor(Date.now() / 1000) - 301 });
    const late = await post(statusEvent.body, stale);
    expect(late.statusCode).toBe(401);
    expect(late.json().error.code).toBe('CN_TIMESTAMP_OUT_OF_TOLERANCE');
  });

  it('rejects missing signature headers with 401', async () => {
    const response = await post(statusEvent.body, { 'content-type': 'application/json' });
    expect(response.statusCode).toBe(401);
    expect(response.json().error.code).toBe('CN_SIGNATURE_MISSING');
  });

  it('accepts the webhook-* header names', async () => {
    const svix = svixHeaders(statusEvent.body);
    const response = await post(statusEvent.body, {
      'content-type': 'application/json',
      'webhook-id': svix['svix-id'] as string,
      'webhook-timestamp': svix['svix-timestamp'] as string,
      'webhook-signature': svix['svix-signature'] as string,
    });
    expect(response.statusCode).toBe(200);
  });

  it('answers 400 for malformed JSON', async () => {
    const body = '{"type": "CredoAI.use_case_review_comment", ';
    const response = await post(body);
    expect(response.statusCode).toBe(400);
    expect(response.json().error).toMatchObject({
      code: 'CN_BODY_INVALID_JSON',
      message: expect.stringMatching(/malformed JSON/),
    });
  });

  it('answers 400 naming the field for invalid data of a known type', async () => {
    const body = JSON.stringify({
      type: 'CredoAI.use_case_review_comment',
      data: { useCaseId: 'U', reviewId: 'R', comment: 42 },
    });
    const response = await post(body);
    expect(response.statusCode).toBe(400);
    expect(response.json().error.code).toBe('CN_EVENT_INVALID');
    expect(response.json().error.issues).toEqual(
      expect.arrayContaining([expect.objectContaining({ path: 'data.comment' })]),
    );
  });

  it('answers 400 for JSON nested far deeper than any event, instead of overflowing a stack', async () => {
    const deep = `${'['.repeat(1500)}${']'.repeat(1500)}`;
    const body = `{"type":"CredoAI.use_case_custom_field_updated.v1","data":{"useCaseId":"U","customFieldId":"f","customFieldName":"n","value":${deep}}}`;
    const response = await post(body);
    expect(response.statusCode).toBe(400);
    expect(response.json().error).toMatchObject({
      code: 'CN_BODY_TOO_DEEP',
      message: expect.stringMatching(/nested deeper than 64/),
    });
  });

  it('answers 400 for an envelope without data', async () => {
    const response = await post(JSON.stringify({ type: 'CredoAI.use_case_review_comment' }));
    expect(response.statusCode).toBe(400);
    expect(response.json().error).toMatchObject({
      code: 'CN_ENVELOPE_INVALID',
      message: expect.stringMatching(/data/),
    });
  });

  it('accepts unknown event types, as "unknown"', async () => {
    const body = JSON.stringify({ type: 'CredoAI.use_case_owner_changed.v1', data: { useCaseId: 'U' } });
    const response = await post(body);
    expect(response.statusCode).toBe(200);
    expect(response.json().type).toBe('unknown');
  });

  it('answers 413 above the body limit', async () => {
    const body = JSON.stringify({
      type: 'CredoAI.use_case_review_comment',
      data: { comment: 'x'.repeat(5000) },
    });
    const response = await post(body);
    expect(response.statusCode).toBe(413);
    expect(response.json().error.code).toBe('CN_BODY_TOO_LARGE');
  });

  it('answers 415 for a body that is not JSON', async () => {
    const headers = { ...svixHeaders('hello'), 'content-type': 'text/plain' };
    const response = await post('hello', headers);
    expect(response.statusCode).toBe(415);
    expect(response.json().error).toMatchObject({
      code: 'CN_BODY_NOT_JSON',
      message: expect.stringMatching(/application\/json/),
    });
  });

  it('keys a delivery without svix-id by the SHA-256 of its body', async () => {
    const none = await startTestServer({ routes: [], credo: { auth: { method: 'none' } } });
    try {
      const send = () =>
        none.runtime.app.inject({
          method: 'POST',
          url: PATH,
          headers: { 'content-type': 'application/json' },
          payload: statusEvent.body,
          remoteAddress: '127.0.0.1',
        });
      expect((await send()).json()).toMatchObject({
        status: 'accepted',
        id: expect.stringMatching(/^sha256:[0-9a-f]{64}$/),
      });
      expect((await send()).json().status).toBe('duplicate');
    } finally {
      await none.close();
    }
  });

  it('with auth method none, refuses clients that are not on loopback', async () => {
    const none = await startTestServer({ routes: [], credo: { auth: { method: 'none' } } });
    try {
      const response = await none.runtime.app.inject({
        method: 'POST',
        url: PATH,
        headers: { 'content-type': 'application/json' },
        payload: statusEvent.body,
        remoteAddress: '203.0.113.9',
      });
      expect(response.statusCode).toBe(401);
      expect(response.json().error.code).toBe('CN_NOT_LOOPBACK');
    } finally {
      await none.close();
    }
  });

  it('answers /healthz and /readyz', async () => {
    expect((await server.runtime.app.inject({ url: '/healthz' })).json()).toEqual({ status: 'ok' });
    expect((await server.runtime.app.inject({ url: '/readyz' })).json()).toEqual({ status: 'ready' });
  });
});
