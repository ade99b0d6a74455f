import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type CryptoKey, exportJWK, generateKeyPair, type JWTPayload, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBearerVerifier, issueAccessToken, type OAuthConfig } from '../../src/receiver/oauth.js';
import { createTestClock } from '../helpers/test-clock.js';

const signingKey = 'a-signing-key-of-at-least-32-characters';
const startMs = Date.UTC(2025, 7, 7, 5, 56, 32);
const clock = createTestClock(startMs);
const ownConfig: OAuthConfig = {
  payloadType: 'application/json',
  signingKey,
  tokenTtlSeconds: 300,
  maxTokenAgeSeconds: 7200,
};
const nowSeconds = startMs / 1000;

function ownStyleToken(claims: JWTPayload, key = signingKey): Promise<string> {
  return new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).sign(new TextEncoder().encode(key));
}

describe('createBearerVerifier with our own tokens', () => {
  const verify = createBearerVerifier(ownConfig, clock);

  it('accepts a token the token endpoint issued, with either spelling of the scheme', async () => {
    const token = await issueAccessToken(signingKey, 300, clock);
    expect(await verify(`Bearer ${token}`)).toEqual({ ok: true });
    expect(await verify(`bearer ${token}`)).toEqual({ ok: true });
  });

  it('refuses a missing header, another scheme, or an empty token', async () => {
    const token = await issueAccessToken(signingKey, 300, clock);
    for (const header of [undefined, '', `Basic ${token}`, 'Bearer ', token]) {
      expect(await verify(header)).toEqual({
        ok: false,
        code: 'CN_TOKEN_MISSING',
        reason: 'missing bearer token',
      });
    }
  });

  it('accepts a token until it expires, then refuses it', async () => {
    const token = await issueAccessToken(signingKey, 300, clock);
    expect(
      await createBearerVerifier(ownConfig, createTestClock(startMs + 299_000))(`Bearer ${token}`),
    ).toEqual({
      ok: true,
    });
    expect(
      await createBearerVerifier(ownConfig, createTestClock(startMs + 301_000))(`Bearer ${token}`),
    ).toEqual({
      ok: false,
      code: 'CN_TOKEN_EXPIRED',
      reason: 'token expired',
    });
  });

  it('refuses a token signed with another key', async () => {
    const forged = await issueAccessToken('another-signing-key-of-32-characters!!', 300, clock);
    expect(await verify(`Bearer ${forged}`)).toEqual({
      ok: false,
      code: 'CN_TOKEN_INVALID',
      reason: 'invalid token signature',
    });
  });

  it('refuses a token of ours meant for another audience or issuer, or without an expiry', async () => {
    const base = { iss: 'credo-notify', aud: 'credo-notify-webhook', iat: nowSeconds, exp: nowSeconds + 60 };
    const cases: Array<[JWTPayload, string]> = [
      [{ ...base, aud: 'something-else' }, 'token "aud" claim rejected'],
      [{ ...base, iss: 'someone-else' }, 'token "iss" claim rejected'],
      [{ iss: base.iss, aud: base.aud, iat: base.iat }, 'token "exp" claim rejected'],
    ];
    for (const [claims, reason] of cases) {
      expect(await verify(`Bearer ${await ownStyleToken(claims)}`)).toEqual({
        ok: false,
        code: 'CN_TOKEN_INVALID',
        reason,
      });
    }
  });

  it('refuses a token that is not a JWT', async () => {
    for (const header of ['Bearer abc', 'Bearer a.b.c', 'Bearer ....']) {
      expect(await verify(header)).toEqual({ ok: false, code: 'CN_TOKEN_INVALID', reason: 'invalid token' });
    }
  });

  it('refuses an unsigned token', async () => {
    const header = Buffer.from(JSON.stringify({ alg: 'none' })).toString('base64url');
    const payload = Buffer.from(
      JSON.stringify({ iss: 'credo-notify', aud: 'credo-notify-webhook', exp: nowSeconds + 60 }),
    ).toString('base64url');
    expect(await verify(`Bearer ${header}.${payload}.`)).toEqual({
      ok: false,
      code: 'CN_TOKEN_INVALID',
      reason: 'token not signed with an accepted algorithm',
    });
  });
});

describe('createBearerVerifier with an external issuer', () => {
  let server: Server;
  let jwksUrl: string;
  let externalKey: CryptoKey;
  let strangerKey: CryptoKey;
  const issuer = 'https://auth.example.com/';
  const audience = 'credo-notify';

  beforeAll(async () => {
    const pair = await generateKeyPair('RS256');
    externalKey = pair.privateKey;
    strangerKey = (await generateKeyPair('RS256')).privateKey;
    const jwks = { keys: [{ ...(await exportJWK(pair.publicKey)), kid: 'key-1', alg: 'RS256', use: 'sig' }] };
    server = createServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(jwks));
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    jwksUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/.well-known/jwks.json`;
  });

  afterAll(() => {
    server.close();
  });

  function externalToken(claims: JWTPayload, key = externalKey): Promise<string> {
    return new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: 'key-1' }).sign(key);
  }

  const goodClaims = () => ({ iss: issuer, aud: audience, iat: nowSeconds, exp: nowSeconds + 60 });
  const externalConfig = (): OAuthConfig => ({
    payloadType: 'application/json',
    tokenTtlSeconds: 300,
    maxTokenAgeSeconds: 7200,
    jwksUrl,
    issuer,
    audience,
  });

  it('accepts a token signed by a key of its JWKS', async () => {
    const verify = createBearerVerifier(externalConfig(), clock);
    expect(await verify(`Bearer ${await externalToken(goodClaims())}`)).toEqual({ ok: true });
  });

  it('refuses a token from another issuer or for another audience, when they are configured', async () => {
    const verify = createBearerVerifier(externalConfig(), clock);
    const wrongIssuer = await externalToken({ ...goodClaims(), iss: 'https://evil.example.com/' });
    const wrongAudience = await externalToken({ ...goodClaims(), aud: 'another-app' });
    expect(await verify(`Bearer ${wrongIssuer}`)).toEqual({
      ok: false,
      code: 'CN_TOKEN_INVALID',
      reason: 'token "iss" claim rejected',
    });
    expect(await verify(`Bearer ${wrongAudience}`)).toEqual({
      ok: false,
      code: 'CN_TOKEN_INVALID',
      reason: 'token "aud" claim rejected',
    });
  });

  it('refuses to check external tokens without both an issuer and an audience (issue 14)', () => {
    for (const missing of [{ issuer: undefined }, { audience: undefined }]) {
      expect(() => createBearerVerifier({ ...externalConfig(), ...missing }, clock)).toThrow(
        /issuer and audience/,
      );
    }
  });

  it('refuses a token signed by a key outside the JWKS', async () => {
    const verify = createBearerVerifier(externalConfig(), clock);
    const forged = await externalToken(goodClaims(), strangerKey);
    expect(await verify(`Bearer ${forged}`)).toEqual({
      ok: false,
      code: 'CN_TOKEN_INVALID',
      reason: 'invalid token signature',
    });
  });

  it('refuses an expired external token', async () => {
    const verify = createBearerVerifier(externalConfig(), createTestClock(startMs + 61_000));
    expect(await verify(`Bearer ${await externalToken(goodClaims())}`)).toEqual({
      ok: false,
      code: 'CN_TOKEN_EXPIRED',
      reason: 'token expired',
    });
  });

  it('refuses an HS256 token when only the external issuer is configured', async () => {
    const verify = createBearerVerifier(externalConfig(), clock);
    const token = await ownStyleToken({ ...goodClaims() });
    expect((await verify(`Bearer ${token}`)).ok).toBe(false);
  });

  it('accepts tokens of both kinds when both are configured', async () => {
    const verify = createBearerVerifier({ ...externalConfig(), signingKey }, clock);
    expect(await verify(`Bearer ${await externalToken(goodClaims())}`)).toEqual({ ok: true });
    expect(await verify(`Bearer ${await issueAccessToken(signingKey, 300, clock)}`)).toEqual({ ok: true });
  });

  it('refuses our own tokens when no signing key is configured', async () => {
    const verify = createBearerVerifier(externalConfig(), clock);
    const ours = await issueAccessToken(signingKey, 300, clock);
    expect((await verify(`Bearer ${ours}`)).ok).toBe(false);
  });

  it('refuses, without throwing, when the JWKS cannot be fetched', async () => {
    const unreachable = createServer();
    unreachable.listen(0, '127.0.0.1');
    await once(unreachable, 'listening');
    const port = (unreachable.address() as AddressInfo).port;
    unreachable.close();
    await once(unreachable, 'close');
    const verify = createBearerVerifier(
      { ...externalConfig(), jwksUrl: `http://127.0.0.1:${port}/jwks` },
      clock,
    );
    expect(await verify(`Bearer ${await externalToken(goodClaims())}`)).toEqual({
      ok: false,
      code: 'CN_TOKEN_ISSUER_UNREACHABLE',
      reason: 'could not fetch the issuer keys',
    });
  });

  it('refuses, without throwing, when the JWKS address answers with an error', async () => {
    const failing = createServer((_request, response) => response.writeHead(500).end('down'));
    failing.listen(0, '127.0.0.1');
    await once(failing, 'listening');
    const port = (failing.address() as AddressInfo).port;
    const verify = createBearerVerifier(
      { ...externalConfig(), jwksUrl: `http://127.0.0.1:${port}/jwks` },
      clock,
    );
    try {
      expect(await verify(`Bearer ${await externalToken(goodClaims())}`)).toEqual({
        ok: false,
        code: 'CN_TOKEN_ISSUER_UNREACHABLE',
        reason: 'could not fetch the issuer keys',
      });
    } finally {
      failing.close();
    }
  });
});
