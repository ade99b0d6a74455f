import { describe, expect, it } from 'vitest';
import { configSchema } from '../../src/config/schema.js';
import { fixtureEvent } from '../helpers/fixture-events.js';
import { serverWithFakeSlack } from '../helpers/server-with-fake-slack.js';
import { sendSigned } from '../helpers/signed-delivery.js';
import { eventually } from '../helpers/test-server.js';

const TOKEN = 'admin-token-for-tests-0123456789';
const COMMENT = fixtureEvent('use_case_review_comment').body;

describe('admin API', () => {
  const world = serverWithFakeSlack();
  const start = (admin?: { token?: string }) =>
    world.start({
      destinations: { governance: { slack: { channel: 'C0GOVERNANCE' } } },
      routes: [{ match: { events: ['*'] }, to: ['governance'] }],
      mentions: { directMessages: { taggedUsers: false, taskAssignees: false } },
      ...(admin ? { admin } : {}),
    });
  const call = (path: string, init: RequestInit & { token?: string } = {}) =>
    fetch(`${world.server.baseUrl}${path}`, {
      ...init,
      headers: init.token === undefined ? {} : { authorization: `Bearer ${init.token}` },
    });
  const json = async (response: Response) => ({
    status: response.status,
    body: (await response.json()) as Record<string, unknown>,
  });

  /** One delivery that Slack refuses for good: a dead letter, and its id. */
  const deadLetter = async (): Promise<number> => {
    world.slack.answerNext('chat.postMessage', { error: 'channel_not_found' });
    await sendSigned(world.server.webhookUrl, COMMENT);
    const [dead] = await eventually(async () => {
      const jobs = await world.server.runtime.store.listJobs({ state: 'dead' });
      expect(jobs).toHaveLength(1);
      return jobs;
    });
    return dead?.id ?? -1;
  };

  it('is off without a token: every /admin path answers as if it did not exist', async () => {
    await start();
    const response = await call('/admin/dead-letters', { token: 'anything-at-all-really' });
    expect(await json(response)).toEqual({
      status: 404,
      body: { error: { code: 'CN_NOT_FOUND', message: 'no route for GET /admin/dead-letters' } },
    });
  });

  it('is off with an empty token too, which an unset variable with an empty default gives', async () => {
    await start({ token: '' });
    expect((await call('/admin/dead-letters', { token: '' })).status).toBe(404);
  });

  it('answers 401 without the token or with a wrong one, and names the scheme', async () => {
    await start({ token: TOKEN });
    const missing = await call('/admin/dead-letters');
    const wrong = await call('/admin/dead-letters', { token: `${TOKEN}x` });
    const prefix = await call('/admin/dead-letters', { token: TOKEN.slice(0, -1) });

    for (const response of [missing, wrong, prefix]) {
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toBe('Bearer realm="credo-notify admin"');
      expect((await json(response)).body).toMatchObject({ error: { code: 'CN_UNAUTHORIZED' } });
    }
    expect(await json(await call('/admin/dead-letters', { token: TOKEN }))).toEqual({
      status: 200,
      body: { deadLetters: [] },
    });
  });

  it('lists and shows a dead letter with why it failed and the event it carries', async () => {
    await start({ token: TOKEN });
    const id = await deadLetter();

    const list = await json(await call('/admin/dead-letters', { token: TOKEN }));
    const shown = await json(await call(`/admin/dead-letters/${id}`, { token: TOKEN }));

    expect(list.body.deadLetters).toEqual([
      expect.objectContaining({
        id,
        destination: 'governance',
        type: 'use_case_review_comment',
        attempts: 1,
        lastError:
          'CN_SLACK_CHANNEL_NOT_FOUND: channel_not_found: check C0GOVERNANCE in the config: Slack has no ' +
          'such channel, or the bot cannot see it (invite it to a private channel first)',
      }),
    ]);
    expect(shown.body).toMatchObject({ id, payload: JSON.parse(COMMENT) });
  });

  it('retries a dead letter with the config in force now, and it reaches Slack', async () => {
    const server = await start({ token: TOKEN });
    const id = await deadLetter();
    // The operator fixes the channel; the retry must use the fixed config, not the one it failed with.
    server.runtime.reload(
      configSchema.parse({
        ...server.config,
        destinations: { governance: { slack: { channel: 'C0FIXED' } } },
      }),
    );

    const retried = await json(
      await call(`/admin/dead-letters/${id}/retry`, { method: 'POST', token: TOKEN }),
    );

    expect(retried).toEqual({ status: 200, body: { id, status: 'requeued' } });
    await eventually(() => expect(world.slack.callsTo('chat.postMessage')).toHaveLength(2));
    expect(world.slack.callsTo('chat.postMessage')[1]?.body.channel).toBe('C0FIXED');
    await eventually(async () => expect((await server.runtime.store.getJob(id))?.state).toBe('done'));
    expect((await json(await call('/admin/dead-letters', { token: TOKEN }))).body.deadLetters).toEqual([]);
  });

  it('retries every dead letter at once', async () => {
    await start({ token: TOKEN });
    await deadLetter();

    const retried = await json(await call('/admin/dead-letters/retry', { method: 'POST', token: TOKEN }));

    expect(retried).toEqual({ status: 200, body: { requeued: 1 } });
    await eventually(() => expect(world.slack.callsTo('chat.postMessage')).toHaveLength(2));
  });

  it('drops a dead letter for good, and refuses ids that are no dead letter', async () => {
    const server = await start({ token: TOKEN });
    const id = await deadLetter();

    const dropped = await json(await call(`/admin/dead-letters/${id}`, { method: 'DELETE', token: TOKEN }));
    const again = await call(`/admin/dead-letters/${id}`, { method: 'DELETE', token: TOKEN });
    const retryGone = await call(`/admin/dead-letters/${id}/retry`, { method: 'POST', token: TOKEN });
    const notAnId = await call('/admin/dead-letters/twelve', { token: TOKEN });

    expect(dropped).toEqual({ status: 200, body: { id, status: 'dropped' } });
    expect(await server.runtime.store.getJob(id)).toBeUndefined();
    expect(await json(again)).toEqual({
      status: 404,
      body: { error: { code: 'CN_DEAD_LETTER_NOT_FOUND', message: `no dead letter ${id}` } },
    });
    expect(retryGone.status).toBe(404);
    expect(await json(notAnId)).toMatchObject({
      status: 400,
      body: { error: { code: 'CN_DEAD_LETTER_ID_INVALID' } },
    });
    expect(world.slack.callsTo('chat.postMessage')).toHaveLength(1);
  });

  it('never drops or requeues a job that is still live', async () => {
    const server = await start({ token: TOKEN });
    world.slack.answerNext('chat.postMessage', { status: 429, retryAfterSeconds: 120 });
    await sendSigned(server.webhookUrl, COMMENT);
    // Waiting out the 429's Retry-After: tried once and pending again. Pending before its first
    // attempt, it would be claimed any moment, and live in another way.
    const [waiting] = await eventually(async () => {
      const jobs = await server.runtime.store.listJobs({ state: 'pending' });
      expect(jobs.map((job) => job.attempts)).toEqual([1]);
      return jobs;
    });

    const drop = await call(`/admin/dead-letters/${waiting?.id}`, { method: 'DELETE', token: TOKEN });
    const shown = await call(`/admin/dead-letters/${waiting?.id}`, { token: TOKEN });

    expect(drop.status).toBe(404);
    expect(shown.status).toBe(404);
    expect((await server.runtime.store.getJob(waiting?.id ?? -1))?.state).toBe('pending');
  });

  it('follows a reload: setting a token turns the API on without a restart', async () => {
    const server = await start();
    expect((await call('/admin/dead-letters', { token: TOKEN })).status).toBe(404);

    server.runtime.reload(configSchema.parse({ ...server.config, admin: { token: TOKEN } }));

    expect((await call('/admin/dead-letters', { token: TOKEN })).status).toBe(200);
  });

  it('refuses a short token in the config: a guessable token would open the queue to anyone', () => {
    const parsed = configSchema.safeParse({
      credo: { auth: { method: 'none' } },
      destinations: { out: { console: {} } },
      admin: { token: 'short' },
    });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]).toMatchObject({ path: ['admin', 'token'] });
  });
});
