import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  type CryptoKey,
  decodeJwt,
  exportJWK,
  exportSPKI,
  generateKeyPair,
  importJWK,
  type JWTPayload,
  SignJWT,
} from 'jose';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { configSchema } from '../../src/config/schema.js';
import { createTestClock } from '../helpers/test-clock.js';
import { ATTACK_START, type Attacked, LONG_SECRET, startAttacked } from './support.js';

/**
 * Issue 14 (Medium and Low): bearer tokens. An identity provider shared with other apps signs
 * tokens for all of them; only issuer, audience, algorithm and age tell ours. And the tokens
 * this server issues itself are traded only for the configured payload, in its type.
 */

const ISSUER = 'https://login.acme.example/';
const AUDIENCE = 'credo-notify';
const COMMENT = '{"type":"CredoAI.use_case_name_updated","data":{"useCaseId":"U1","name":"Loans"}}';

let server: Attacked | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const deliverWith = (target: Attacked, token: string) =>
  target.inject({
    method: 'POST',
    url: '/webhooks/credo',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    payload: COMMENT,
  });

describe('tokens of an external identity provider (jwksUrl)', () => {
  let jwks: Server;
  let jwksUrl: string;
  let providerKey: CryptoKey;
  let publicPem: string;
  const clock = createTestClock(ATTACK_START);
  const nowSeconds = () => Math.floor(clock.now() / 1000);

  beforeAll(async () => {
    const pair = await generateKeyPair('RS256', { extractable: true });
    providerKey = pair.privateKey;
    publicPem = await exportSPKI(pair.publicKey);
    const keys = { keys: [{ ...(await exportJWK(pair.publicKey)), kid: 'k1', use: 'sig' }] };
    jwks = createServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(keys));
    }).listen(0, '127.0.0.1');
    await once(jwks, 'listening');
    jwksUrl = `http://127.0.0.1:${(jwks.address() as AddressInfo).port}/jwks`;
  });
  afterAll(() => {
    jwks.close();
  });

  const external = (oauth: Record<string, unknown> = {}) => ({
    credo: { auth: { method: 'oauth', oauth: { jwksUrl, issuer: ISSUER, audience: AUDIENCE, ...oauth } } },
  });
  const claims = (extra: JWTPayload = {}): JWTPayload => ({
    iss: ISSUER,
    aud: AUDIENCE,
    iat: nowSeconds(),
    exp: nowSeconds() + 3600,
    ...extra,
  });
  // The provider's own key, used with another hash: the published key names no algorithm.
  const signed = async (payload: JWTPayload, alg = 'RS256') =>
    new SignJWT(payload)
      .setProtectedHeader({ alg, kid: 'k1' })
      .sign(alg === 'RS256' ? providerKey : await importJWK(await exportJWK(providerKey), alg));

  it('refuses a config that would take tokens for any issuer or audience', () => {
    for (const missing of [{ issuer: undefined }, { audience: undefined }]) {
      const parsed = configSchema.safeParse({ ...external(missing), destinations: {} });
      expect(parsed.error?.issues.map((issue) => issue.message).join('\n')).toMatch(
        /issuer and oauth.audience/,
      );
    }
  });

  it('refuses to fetch keys over plain http from another machine', () => {
    const parsed = configSchema.safeParse({
      ...external({ jwksUrl: 'http://login.acme.example/jwks' }),
      destinations: {},
    });
    expect(parsed.error?.issues[0]?.message).toMatch(/https/);
  });

  it('accepts a token for this app, and refuses one the same provider issued to another app', async () => {
    const target = await startAttacked(external(), { clock });
    server = target;
    expect((await deliverWith(target, await signed(claims()))).statusCode).toBe(200);
    expect((await deliverWith(target, await signed(claims({ aud: 'payroll-app' })))).statusCode).toBe(401);
    expect(
      (await deliverWith(target, await signed(claims({ iss: 'https://evil.example/' })))).statusCode,
    ).toBe(401);
  });

  it('refuses algorithms outside RS256 and ES256: HS256 keyed with the public key, RS384', async () => {
    const target = await startAttacked(external(), { clock });
    server = target;
    const confused = await new SignJWT(claims())
      .setProtectedHeader({ alg: 'HS256', kid: 'k1' })
      .sign(new TextEncoder().encode(publicPem));
    const response = await deliverWith(target, confused);
    expect(response.statusCode).toBe(401);
    expect(response.json().error).toEqual({
      code: 'CN_TOKEN_INVALID',
      message: 'token not signed with an accepted algorithm',
    });
    expect((await deliverWith(target, await signed(claims(), 'RS384'))).statusCode).toBe(401);
  });

  it('refuses a token older than maxTokenAgeSeconds, whatever its exp says', async () => {
    const target = await startAttacked(external({ maxTokenAgeSeconds: 600 }), { clock });
    server = target;
    const old = await signed(claims({ iat: nowSeconds() - 601, exp: nowSeconds() + 86_400 }));
    const noIat = await signed({ iss: ISSUER, aud: AUDIENCE, exp: nowSeconds() + 60 });
    expect((await deliverWith(target, old)).statusCode).toBe(401);
    expect((await deliverWith(target, noIat)).statusCode).toBe(401);
  });
});

describe('tokens this server issues (/oauth/token)', () => {
  const own = (oauth: Record<string, unknown> = {}) => ({
    credo: {
      auth: { method: 'oauth', oauth: { payload: { key: LONG_SECRET }, signingKey: LONG_SECRET, ...oauth } },
    },
  });
  const tokenRequest = (target: Attacked, payload: string, contentType = 'application/json') =>
    target.inject({ method: 'POST', url: '/oauth/token', headers: { 'content-type': contentType }, payload });

  it('refuses the password grant, even with the right payload', async () => {
    const target = await startAttacked(own());
    server = target;
    const response = await tokenRequest(
      target,
      JSON.stringify({ grant_type: 'password', username: 'admin', password: 'x', key: LONG_SECRET }),
    );
    expect(response.statusCode).toBe(400);
    // RFC 6749 section 5.2: the token endpoint's own error body.
    expect(response.json()).toMatchObject({ error: 'unsupported_grant_type' });
  });

  it('takes the payload only in its configured type', async () => {
    const target = await startAttacked(own({ payloadType: 'application/json' }));
    server = target;
    const asForm = await tokenRequest(
      target,
      new URLSearchParams({ key: LONG_SECRET }).toString(),
      'application/x-www-form-urlencoded',
    );
    expect(asForm.statusCode).toBe(401);
    expect((await tokenRequest(target, JSON.stringify({ key: LONG_SECRET }))).statusCode).toBe(200);
  });

  it('issues tokens with iat, and refuses one of ours older than tokenTtlSeconds whatever its exp', async () => {
    const clock = createTestClock(ATTACK_START);
    const target = await startAttacked(own({ tokenTtlSeconds: 300 }), { clock });
    server = target;
    const issued = (await tokenRequest(target, JSON.stringify({ key: LONG_SECRET }))).json().access_token;
    const { iat, exp } = decodeJwt(issued);
    expect(iat).toBe(Math.floor(clock.now() / 1000));
    expect(exp).toBe((iat ?? 0) + 300);
    // The key signs a token that claims a day: it is still good for 300 s only.
    const longLived = await new SignJWT({ iss: 'credo-notify', aud: 'credo-notify-webhook' })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuedAt(iat ?? 0)
      .setExpirationTime((iat ?? 0) + 86_400)
      .sign(new TextEncoder().encode(LONG_SECRET));
    expect((await deliverWith(target, longLived)).statusCode).toBe(200);
    await clock.advance(301_000);
    expect((await deliverWith(target, longLived)).statusCode).toBe(401);
  });

  it('refuses secrets shorter than 32 bytes: payload, client secret, signing key, admin token', () => {
    const short = 'only-twenty-bytes-xx';
    const problems = (config: Record<string, unknown>) =>
      configSchema
        .safeParse({ destinations: {}, ...config })
        .error?.issues.map((issue) => issue.path.join('.'));
    expect(problems(own({ payload: { key: short } }))).toEqual(['credo.auth.oauth.payload']);
    expect(problems(own({ signingKey: short }))).toEqual(['credo.auth.oauth.signingKey']);
    expect(problems(own({ payload: undefined, clientSecret: short }))).toEqual([
      'credo.auth.oauth.clientSecret',
    ]);
    expect(problems({ ...own(), admin: { token: short } })).toEqual(['admin.token']);
  });
});
