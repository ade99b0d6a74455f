import Fastify, { type FastifyInstance } from 'fastify';
import { decodeJwt } from 'jose';
import { afterEach, describe, expect, it } from 'vitest';
import { createFailedAuthLimit } from '../../src/http/failed-auth-limit.js';
import { createBearerVerifier, type OAuthConfig } from '../../src/receiver/oauth.js';
import { OAUTH_TOKEN_PATH, registerOAuthTokenRoute } from '../../src/receiver/oauth-token-route.js';
import { createTestClock } from '../helpers/test-clock.js';

const startMs = Date.UTC(2025, 7, 7, 5, 56, 32);
const clock = createTestClock(startMs);
const signingKey = 'a-signing-key-of-at-least-32-characters';
const credoPayload = { key: 'secret_key_value' };
const base: OAuthConfig = {
  payloadType: 'application/json',
  signingKey,
  tokenTtlSeconds: 600,
  maxTokenAgeSeconds: 7200,
};

let app: FastifyInstance | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

async function tokenServer(oauth: OAuthConfig, prepare?: (app: FastifyInstance) => void) {
  app = Fastify();
  prepare?.(app);
  await registerOAuthTokenRoute(app, oauth, { clock, failedAuth: createFailedAuthLimit({ clock }) });
  return app;
}

const form = (fields: Record<string, string>, headers: Record<string, string> = {}) => ({
  headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
  payload: new URLSearchParams(fields).toString(),
});
const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;

describe('POST /oauth/token', () => {
  it("issues a bearer token for Credo AI's JSON payload that our verifier accepts", async () => {
    const server = await tokenServer({ ...base, payload: credoPayload });
    const response = await server.inject({ method: 'POST', url: OAUTH_TOKEN_PATH, payload: credoPayload });
    expect(response.statusCode).toBe(200);
    expect(response.headers['cache-control']).toBe('no-store');
    const body = response.json();
    expect(body).toEqual({ access_token: expect.any(String), token_type: 'Bearer', expires_in: 600 });
    expect(decodeJwt(body.access_token)).toMatchObject({
      iss: 'credo-notify',
      aud: 'credo-notify-webhook',
      exp: startMs / 1000 + 600,
    });
    const verify = createBearerVerifier({ ...base, payload: credoPayload }, clock);
    expect(await verify(`Bearer ${body.access_token}`)).toEqual({ ok: true });
  });

  it('accepts the payload sent as a form, and fields beyond the payload', async () => {
    const server = await tokenServer({
      ...base,
      payload: credoPayload,
      payloadType: 'application/x-www-form-urlencoded',
    });
    const response = await server.inject({
      method: 'POST',
      url: OAUTH_TOKEN_PATH,
      ...form({ ...credoPayload, grant_type: 'client_credentials' }),
    });
    expect(response.statusCode).toBe(200);
  });

  it.each([
    ['a wrong value', { key: 'secret_key_valuf' }],
    ['a longer value', { key: 'secret_key_value2' }],
    ['a missing key', { other: 'secret_key_value' }],
    ['a value of the wrong kind', { key: ['secret_key_value'] }],
    ['no body', undefined],
  ])('answers 401 invalid_client for %s', async (_, payload) => {
    const server = await tokenServer({ ...base, payload: credoPayload });
    const response = await server.inject({ method: 'POST', url: OAUTH_TOKEN_PATH, payload });
    expect(response.statusCode).toBe(401);
    expect(response.json()).toEqual({ error: 'invalid_client', error_description: expect.any(String) });
    expect(response.headers['www-authenticate']).toMatch(/^Basic/);
  });

  it('requires every key of a payload with several', async () => {
    const payload = { key: 'k', tenant: 'acme' };
    const server = await tokenServer({ ...base, payload });
    const inject = (body: object) => server.inject({ method: 'POST', url: OAUTH_TOKEN_PATH, payload: body });
    expect((await inject(payload)).statusCode).toBe(200);
    expect((await inject({ key: 'k' })).statusCode).toBe(401);
  });

  it('never accepts anything when the configured payload is empty', async () => {
    const server = await tokenServer({ ...base, payload: {} });
    const response = await server.inject({ method: 'POST', url: OAUTH_TOKEN_PATH, payload: {} });
    expect(response.statusCode).toBe(401);
  });

  describe('client_credentials', () => {
    const clients: OAuthConfig = { ...base, clientId: 'credo', clientSecret: 's3cr+t/=%' };

    it('accepts client_id and client_secret in a form', async () => {
      const server = await tokenServer(clients);
      const response = await server.inject({
        method: 'POST',
        url: OAUTH_TOKEN_PATH,
        ...form({ grant_type: 'client_credentials', client_id: 'credo', client_secret: 's3cr+t/=%' }),
      });
      expect(response.statusCode).toBe(200);
      expect(response.json().token_type).toBe('Bearer');
    });

    it('accepts HTTP Basic, with form-encoded parts or plain ones', async () => {
      const server = await tokenServer(clients);
      for (const authorization of [
        basic('credo', encodeURIComponent('s3cr+t/=%')),
        basic('credo', 's3cr+t/=%'),
      ]) {
        const response = await server.inject({
          method: 'POST',
          url: OAUTH_TOKEN_PATH,
          ...form({ grant_type: 'client_credentials' }, { authorization }),
        });
        expect(response.statusCode, authorization).toBe(200);
      }
    });

    it.each([
      ['a wrong secret', { client_id: 'credo', client_secret: 'guess' }],
      ['a wrong id', { client_id: 'someone', client_secret: 's3cr+t/=%' }],
      ['no secret', { client_id: 'credo' }],
    ])('refuses %s', async (_, fields) => {
      const server = await tokenServer(clients);
      const response = await server.inject({
        method: 'POST',
        url: OAUTH_TOKEN_PATH,
        ...form({ grant_type: 'client_credentials', ...fields }),
      });
      expect(response.statusCode).toBe(401);
      expect(response.json()).toEqual({ error: 'invalid_client', error_description: expect.any(String) });
    });

    it('refuses wrong HTTP Basic credentials', async () => {
      const server = await tokenServer(clients);
      const response = await server.inject({
        method: 'POST',
        url: OAUTH_TOKEN_PATH,
        ...form({ grant_type: 'client_credentials' }, { authorization: basic('credo', 'guess') }),
      });
      expect(response.statusCode).toBe(401);
    });

    it('answers 400 unsupported_grant_type for another grant', async () => {
      const server = await tokenServer(clients);
      const response = await server.inject({
        method: 'POST',
        url: OAUTH_TOKEN_PATH,
        ...form({ grant_type: 'password', client_id: 'credo', client_secret: 's3cr+t/=%' }),
      });
      expect(response.statusCode).toBe(400);
      expect(response.json()).toEqual({
        error: 'unsupported_grant_type',
        error_description: expect.any(String),
      });
    });

    it('accepts any client id when none is configured', async () => {
      const server = await tokenServer({ ...base, clientSecret: 'only-a-secret' });
      const response = await server.inject({
        method: 'POST',
        url: OAUTH_TOKEN_PATH,
        payload: { grant_type: 'client_credentials', client_id: 'whoever', client_secret: 'only-a-secret' },
      });
      expect(response.statusCode).toBe(200);
    });
  });

  it('refuses to start without a signing key', async () => {
    await expect(tokenServer({ ...base, signingKey: undefined, payload: credoPayload })).rejects.toThrow(
      /signingKey/,
    );
  });

  it('keeps its body parsers to itself, and parses bodies whatever the parent app does', async () => {
    const server = await tokenServer({ ...base, payload: credoPayload }, (parent) => {
      // As the webhook route does: the parent keeps JSON bodies as raw text.
      parent.removeAllContentTypeParsers();
      parent.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) =>
        done(null, body),
      );
      parent.post('/raw', async (request) => ({ bodyType: typeof request.body }));
    });
    const token = await server.inject({ method: 'POST', url: OAUTH_TOKEN_PATH, payload: credoPayload });
    expect(token.statusCode).toBe(200);
    const raw = await server.inject({ method: 'POST', url: '/raw', payload: credoPayload });
    expect(raw.json()).toEqual({ bodyType: 'string' });
    const formOnParent = await server.inject({ method: 'POST', url: '/raw', ...form(credoPayload) });
    expect(formOnParent.statusCode).toBe(415);
  });
});
