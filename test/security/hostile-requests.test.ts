import { afterEach, describe, expect, it } from 'vitest';
import { configSchema } from '../../src/config/schema.js';
import { svixHeaders } from '../helpers/signed-delivery.js';
import { type Attacked, LONG_SECRET, startAttacked } from './support.js';

/** Issue 14: requests shaped to confuse the server, and callers who pretend to be local. */

const RENAMED = '{"type":"CredoAI.use_case_name_updated","data":{"useCaseId":"U1","name":"Loans"}}';

let server: Attacked | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function start(overrides: Record<string, unknown> = {}): Promise<Attacked> {
  server = await startAttacked(overrides);
  return server;
}

describe('method none behind a proxy', () => {
  const none = { credo: { auth: { method: 'none' } } };

  it('takes a request that a proxy on this machine forwarded as coming from outside', async () => {
    const target = await start(none);
    const deliver = (headers: Record<string, string>) =>
      target.inject({
        method: 'POST',
        url: '/webhooks/credo',
        remoteAddress: '127.0.0.1',
        headers: { 'content-type': 'application/json', ...headers },
        payload: RENAMED,
      });
    expect((await deliver({})).statusCode).toBe(200);
    const proxied: Array<Record<string, string>> = [
      { 'x-forwarded-for': '203.0.113.7' },
      { forwarded: 'for=203.0.113.7;proto=https' },
      { 'x-real-ip': '203.0.113.7' },
    ];
    for (const forwarded of proxied) {
      expect((await deliver(forwarded)).statusCode, JSON.stringify(forwarded)).toBe(401);
    }
  });

  it('refuses a config that listens beyond loopback with no authentication', () => {
    for (const host of ['0.0.0.0', '::', '10.0.0.5']) {
      const parsed = configSchema.safeParse({ ...none, server: { host }, destinations: {} });
      expect(
        parsed.error?.issues.map((issue) => issue.path.join('.')),
        host,
      ).toEqual(['server.host']);
    }
    expect(configSchema.safeParse({ ...none, server: { host: '::1' }, destinations: {} }).success).toBe(true);
  });
});

describe('malformed requests get a 4xx that says what is wrong, and no internals', () => {
  it('?limit=1&limit=2 on the admin API is 400', async () => {
    const token = LONG_SECRET;
    const target = await start({ admin: { token } });
    const response = await target.inject({
      method: 'GET',
      url: '/admin/dead-letters?limit=1&limit=2',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.code).toBe('CN_LIMIT_INVALID');
    expect(response.json().error.message).toMatch(/limit must be a whole number/);
  });

  it('a svix-id longer than 256 characters is 400, and the log holds no more than 256 of it', async () => {
    const target = await start();
    const id = `msg_${'x'.repeat(10_000)}`;
    const response = await target.inject({
      method: 'POST',
      url: '/webhooks/credo',
      headers: svixHeaders(RENAMED, { id }),
      payload: RENAMED,
    });
    expect(response.statusCode).toBe(400);
    const logged = JSON.stringify(target.logs);
    expect(logged).not.toContain('x'.repeat(257));
    expect(logged).toContain('delivery id longer than 256 characters');
  });
});

describe('people named by ids that are Object.prototype names', () => {
  it('@[](users:constructor) shows as an unknown user, never as "Object" or "Function"', async () => {
    const target = await start();
    target.runtime.worker.start();
    const body = JSON.stringify({
      type: 'CredoAI.use_case_review_comment',
      data: {
        comment: 'see @[](users:constructor), @[](users:__proto__) and @[](users:toString)',
        reviewId: 'R1',
        useCaseId: 'U1',
        taggedUsers: [],
      },
    });
    const response = await target.inject({
      method: 'POST',
      url: '/webhooks/credo',
      headers: svixHeaders(body),
      payload: body,
    });
    expect(response.statusCode).toBe(200);
    await expect.poll(() => target.printed.join('\n'), { timeout: 10_000 }).toContain('user constructor');
    const printed = target.printed.join('\n');
    expect(printed).toContain('user __proto__');
    expect(printed).toContain('user toString');
    expect(printed).not.toMatch(/Object|Function|\[native code\]/);
  });
});
