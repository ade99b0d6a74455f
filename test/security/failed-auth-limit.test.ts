import { afterEach, describe, expect, it } from 'vitest';
import { createTestClock } from '../helpers/test-clock.js';
import { ATTACK_START, type Attacked, LONG_SECRET, OUTSIDE, startAttacked } from './support.js';

/**
 * Issue 14 (Low): a caller guessing a credential gets 20 tries a minute per address, then 429
 * with Retry-After, on every route that checks one. The right credential does not help while
 * refused, so a guess that happens to be right tells the caller nothing.
 */

const ADMIN_TOKEN = 'admin-token-of-at-least-32-bytes-0123456789';
const OTHER_CALLER = '198.51.100.9';

let server: Attacked | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const oauthAuth = {
  method: 'oauth',
  oauth: { payload: { key: LONG_SECRET }, signingKey: LONG_SECRET },
};

describe('failed authentication, per client address', () => {
  it('/admin: 20 wrong tokens, then 429 with Retry-After even for the right one, for a minute', async () => {
    const clock = createTestClock(ATTACK_START);
    const target = await startAttacked({ admin: { token: ADMIN_TOKEN } }, { clock });
    server = target;
    const admin = (token: string, remoteAddress = OUTSIDE) =>
      target.inject({
        method: 'GET',
        url: '/admin/dead-letters',
        headers: { authorization: `Bearer ${token}` },
        remoteAddress,
      });

    for (let guess = 0; guess < 20; guess++) expect((await admin(`guess-${guess}`)).statusCode).toBe(401);
    const refused = await admin(ADMIN_TOKEN);
    expect(refused.statusCode).toBe(429);
    expect(Number(refused.headers['retry-after'])).toBe(60);
    expect((await admin(ADMIN_TOKEN, OTHER_CALLER)).statusCode).toBe(200);

    await clock.advance(30_000);
    expect(Number((await admin(ADMIN_TOKEN)).headers['retry-after'])).toBe(30);
    await clock.advance(30_000);
    expect((await admin(ADMIN_TOKEN)).statusCode).toBe(200);
  });

  it('the console sign-in: 20 wrong tokens, then 429 even for the right one', async () => {
    const target = await startAttacked(
      { admin: { token: ADMIN_TOKEN } },
      { clock: createTestClock(ATTACK_START) },
    );
    server = target;
    const page = await target.inject({ method: 'GET', url: '/console/sign-in', remoteAddress: OUTSIDE });
    const cookie = String(page.headers['set-cookie']).split(';')[0] ?? '';
    const nonce = cookie.slice(cookie.indexOf('=') + 1);
    const signIn = (token: string) =>
      target.inject({
        method: 'POST',
        url: '/console/sign-in',
        headers: { 'content-type': 'application/x-www-form-urlencoded', cookie },
        payload: new URLSearchParams({ _csrf: nonce, token }).toString(),
      });

    for (let guess = 0; guess < 20; guess++) expect((await signIn(`guess-${guess}`)).statusCode).toBe(401);
    const refused = await signIn(ADMIN_TOKEN);
    expect(refused.statusCode).toBe(429);
    expect(refused.headers['retry-after']).toBe('60');
    expect(refused.headers['set-cookie']).toBeUndefined();
  });

  it('/oauth/token: 20 wrong payloads, then 429', async () => {
    const target = await startAttacked(
      { credo: { auth: oauthAuth } },
      { clock: createTestClock(ATTACK_START) },
    );
    server = target;
    const token = (key: string) => target.inject({ method: 'POST', url: '/oauth/token', payload: { key } });

    for (let guess = 0; guess < 20; guess++) expect((await token(`guess-${guess}`)).statusCode).toBe(401);
    const refused = await token(LONG_SECRET);
    expect(refused.statusCode).toBe(429);
    expect(refused.headers['retry-after']).toBe('60');
  });

  it('the webhook: 20 wrong bearer tokens, then 429, counted with the other routes', async () => {
    const target = await startAttacked(
      { credo: { auth: oauthAuth }, admin: { token: ADMIN_TOKEN } },
      { clock: createTestClock(ATTACK_START) },
    );
    server = target;
    const deliver = (authorization: string) =>
      target.inject({
        method: 'POST',
        url: '/webhooks/credo',
        headers: { 'content-type': 'application/json', authorization },
        payload: '{"type":"CredoAI.use_case_name_updated","data":{}}',
      });
    for (let guess = 0; guess < 10; guess++)
      expect((await deliver(`Bearer guess-${guess}`)).statusCode).toBe(401);
    for (let guess = 0; guess < 10; guess++) {
      const response = await target.inject({
        method: 'GET',
        url: '/admin/dead-letters',
        headers: { authorization: `Bearer guess-${guess}` },
      });
      expect(response.statusCode).toBe(401);
    }

    const refused = await deliver('Bearer one-more-guess');
    expect(refused.statusCode).toBe(429);
    expect(refused.headers['retry-after']).toBe('60');
  });
});
