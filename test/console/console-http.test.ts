import { describe, expect, it } from 'vitest';
import { serverWithFakeSlack } from '../helpers/server-with-fake-slack.js';

const TOKEN = 'console-admin-token-0123456789-abcdef';

/** The console over plain HTTP, as a browser or a script speaks to it: the rules of the door. */
describe('operator console over HTTP', () => {
  const world = serverWithFakeSlack();
  const start = (admin?: { token?: string }) =>
    world.start({
      destinations: { governance: { slack: { channel: 'C0GOVERNANCE' } } },
      routes: [{ match: { events: ['*'] }, to: ['governance'] }],
      ...(admin ? { admin } : {}),
    });
  const get = (path: string, headers: Record<string, string> = {}) =>
    fetch(`${world.server.baseUrl}${path}`, { headers, redirect: 'manual' });
  const postForm = (path: string, form: Record<string, string>, headers: Record<string, string> = {}) =>
    fetch(`${world.server.baseUrl}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
      body: new URLSearchParams(form).toString(),
      redirect: 'manual',
    });
  const cookieOf = (response: Response, name: string) =>
    response.headers.getSetCookie().find((cookie) => cookie.startsWith(`${name}=`)) ?? '';

  /** Signs in as a browser would: the sign-in page's cookie and nonce, then the token. */
  const signIn = async (token = TOKEN) => {
    const form = await get('/console/sign-in');
    const nonceCookie = cookieOf(form, 'cn_console_sign_in').split(';')[0] ?? '';
    const nonce = (await form.text()).match(/name="_csrf" value="([^"]+)"/)?.[1] ?? '';
    return postForm('/console/sign-in', { _csrf: nonce, token }, { cookie: nonceCookie });
  };

  it('is off without admin.token: every /console path answers as if it did not exist', async () => {
    await start();
    for (const path of ['/console', '/console/sign-in', '/console/deliveries']) {
      expect((await get(path)).status).toBe(404);
    }
    expect((await postForm('/console/sign-in', { token: '' })).status).toBe(404);
  });

  it('sends a visitor without a session to sign in', async () => {
    await start({ token: TOKEN });
    const answer = await get('/console/deliveries');
    expect(answer.status).toBe(303);
    expect(answer.headers.get('location')).toBe('/console/sign-in');
    const htmx = await get('/console/deliveries/table', { 'hx-request': 'true' });
    expect([htmx.status, htmx.headers.get('hx-redirect')]).toEqual([401, '/console/sign-in']);
  });

  it('trades the right token for an HttpOnly, SameSite=Strict session cookie; a wrong one gets none', async () => {
    await start({ token: TOKEN });
    const wrong = await signIn(`${TOKEN}x`);
    expect(wrong.status).toBe(401);
    expect(cookieOf(wrong, 'cn_console')).toBe('');

    const right = await signIn();
    expect(right.status).toBe(303);
    const session = cookieOf(right, 'cn_console');
    expect(session).toMatch(/; Path=\/console; Max-Age=28800; HttpOnly; SameSite=Strict$/);
    const page = await get('/console/deliveries', { cookie: session.split(';')[0] ?? '' });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
  });

  it('marks the session cookie Secure when the page came over HTTPS', async () => {
    await start({ token: TOKEN });
    const form = await get('/console/sign-in', { 'x-forwarded-proto': 'https' });
    expect(cookieOf(form, 'cn_console_sign_in')).toMatch(/; Secure$/);
  });

  it('refuses a sign-in posted without the sign-in page’s own nonce (login CSRF)', async () => {
    await start({ token: TOKEN });
    const answer = await postForm('/console/sign-in', { _csrf: 'anything', token: TOKEN });
    expect(answer.status).toBe(403);
    expect(cookieOf(answer, 'cn_console')).toBe('');
  });

  it('serves htmx gzipped from its npm package, to be cached for good', async () => {
    await start({ token: TOKEN });
    const signedIn = await signIn();
    const page = await get('/console/deliveries', {
      cookie: cookieOf(signedIn, 'cn_console').split(';')[0] ?? '',
    });
    const src = (await page.text()).match(/src="([^"]+htmx\.min\.js)"/)?.[1] ?? '';
    const script = await get(src, { 'accept-encoding': 'gzip' });
    expect(script.status).toBe(200);
    expect(script.headers.get('cache-control')).toContain('immutable');
    expect(await script.text()).toContain('htmx');
  });
});
