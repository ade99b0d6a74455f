import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { slackClientFor } from '../../src/notify/slack/slack-client.js';
import { type FakeSlack, startFakeSlack } from './fake-slack.js';

let slack: FakeSlack;
beforeEach(async () => {
  slack = await startFakeSlack();
});
afterEach(() => slack.close());

const clientOf = (fake: FakeSlack) => slackClientFor({ botToken: 'xoxb-fake', apiUrl: fake.url });

describe('fake Slack', () => {
  it('finds users by email and opens a DM channel for them', async () => {
    slack.users.set('steven@credo.ai', 'U0STEVEN');
    const client = clientOf(slack);

    const found = await client.users.lookupByEmail({ email: 'steven@credo.ai' });
    const dm = await client.conversations.open({ users: 'U0STEVEN' });
    const missing = await client.users
      .lookupByEmail({ email: 'nobody@credo.ai' })
      .catch((error: unknown) => error);

    expect(found.user?.id).toBe('U0STEVEN');
    expect(dm.channel?.id).toMatch(/^D/);
    expect(missing).toMatchObject({ data: { error: 'users_not_found' } });
  });

  it('reads history and threads by conversation id only, as Slack does (issue #16)', async () => {
    const client = clientOf(slack);
    const posted = await client.chat.postMessage({ channel: '#ai-reviews', text: 'hi' });
    const refused = (call: Promise<unknown>) => call.catch((error: { data: unknown }) => error.data);

    expect(posted.channel).toBe(slack.channelIdFor('ai-reviews'));
    for (const channel of ['#ai-reviews', 'U0STEVEN']) {
      expect(await refused(client.conversations.history({ channel }))).toMatchObject({
        error: 'channel_not_found',
      });
      expect(await refused(client.conversations.replies({ channel, ts: String(posted.ts) }))).toMatchObject({
        error: 'channel_not_found',
      });
    }
    const byId = await client.conversations.history({ channel: String(posted.channel) });
    expect(byId.messages?.map((message) => message.ts)).toEqual([posted.ts]);
    const listed = await client.conversations.list({ types: 'public_channel,private_channel' });
    expect(listed.channels).toEqual([expect.objectContaining({ id: posted.channel, name: 'ai-reviews' })]);
  });

  it('can lose the answer to a request that took effect', async () => {
    slack.answerNext('chat.postMessage', { lostAnswer: true });
    const lost = await clientOf(slack)
      .chat.postMessage({ channel: 'C0GOVERNANCE', text: 'hi' })
      .catch((error: unknown) => error);

    expect(lost).toMatchObject({ code: 'slack_webapi_request_error' });
    expect(slack.messages).toHaveLength(1);
  });

  it('finds a deactivated member by email, flagged deleted', async () => {
    slack.users.set('gone@credo.ai', { id: 'U0GONE', deleted: true });

    const found = await clientOf(slack).users.lookupByEmail({ email: 'gone@credo.ai' });

    expect(found.user).toMatchObject({ id: 'U0GONE', deleted: true, is_bot: false });
  });

  it('answers auth.test and records the bearer token of each call', async () => {
    const identity = await clientOf(slack).auth.test();

    expect(identity.ok).toBe(true);
    expect(slack.calls).toEqual([
      { method: 'auth.test', path: '/api/auth.test', body: {}, authorization: 'Bearer xoxb-fake' },
    ]);
  });

  it('plays scripted answers in order, then behaves normally again', async () => {
    slack.answerNext('auth.test', { error: 'invalid_auth' }, { error: 'token_revoked' });
    const client = clientOf(slack);
    const errors = [];
    for (let i = 0; i < 2; i++)
      errors.push(await client.auth.test().catch((error: { data: unknown }) => error.data));

    expect(errors).toMatchObject([{ error: 'invalid_auth' }, { error: 'token_revoked' }]);
    expect((await client.auth.test()).ok).toBe(true);
  });

  it('rate-limits each channel on its own and counts the 429s', async () => {
    const limited = await startFakeSlack({ rateLimit: { messages: 2, perMs: 60_000 } });
    try {
      const post = (channel: string) =>
        fetch(`${limited.url}chat.postMessage`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: 'Bearer xoxb-test' },
          body: JSON.stringify({ channel, text: 'hi' }),
        });
      const statuses = [];
      for (const channel of ['C1', 'C1', 'C1', 'C2']) statuses.push((await post(channel)).status);
      const refused = await post('C1');

      expect(statuses).toEqual([200, 200, 429, 200]);
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(limited.rateLimitedCount).toBe(2);
    } finally {
      await limited.close();
    }
  });

  it('answers not_authed to a JSON call whose token is not a bearer in the header, as Slack does', async () => {
    const call = (headers: Record<string, string>, body: string) =>
      fetch(`${slack.url}auth.test`, { method: 'POST', headers, body }).then((answer) => answer.json());
    const json = { 'content-type': 'application/json' };
    const form = { 'content-type': 'application/x-www-form-urlencoded' };

    expect(await call(json, '{"token":"xoxb-in-the-body"}')).toEqual({ ok: false, error: 'not_authed' });
    expect(await call(form, 'token=xoxb-in-the-body')).toMatchObject({ ok: true });
    expect(await call({ ...json, authorization: 'Bearer xoxb-1' }, '{}')).toMatchObject({ ok: true });
  });

  it('answers webhook posts "ok" and rejects a body that is not JSON', async () => {
    const post = (body: string) =>
      fetch(slack.webhookUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body });

    expect(await (await post('{"text":"hi"}')).text()).toBe('ok');
    expect(await (await post('{"text":')).text()).toBe('invalid_payload');
  });

  it('takes 5 replies at a response_url within 30 minutes, as Slack documents, and no more', async () => {
    let now = Date.now();
    const timed = await startFakeSlack({ clock: { now: () => now } });
    try {
      const reply = (url: string) =>
        fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ response_type: 'ephemeral', text: 'hi' }),
        });
      const used = timed.responseUrl();
      const statuses = [];
      for (let i = 0; i < 6; i += 1) statuses.push((await reply(used)).status);
      const expiring = timed.responseUrl();
      now += 30 * 60_000 + 1;
      const late = await reply(expiring);

      expect(statuses).toEqual([200, 200, 200, 200, 200, 404]);
      expect(late.status).toBe(404);
      expect(await late.text()).toBe('expired_url');
      expect(timed.responses.filter((response) => response.status === 200)).toHaveLength(5);
      expect(timed.responses[0]?.body).toEqual({ response_type: 'ephemeral', text: 'hi' });
    } finally {
      await timed.close();
    }
  });
});
