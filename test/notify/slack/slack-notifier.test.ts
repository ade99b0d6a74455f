import { inspect } from 'node:util';
import { afterEach, beforeEach, describe, expect, expectTypeOf, it } from 'vitest';
import type { SlackMessage } from '../../../src/messages.js';
import { createSlackNotifier } from '../../../src/notify/slack/slack-notifier.js';
import { type FakeSlack, startFakeSlack } from '../../helpers/fake-slack.js';
import { slackBotDepsPerTest } from '../../helpers/slack-bot-deps.js';
import { failureOf, refusedUrl } from '../failures.js';
import { reviewCommentMessage } from '../sample-message.js';

const TOKEN = 'xoxb-1111-2222-notasecret';
const context = { eventId: 'msg_30zZvVW6oyBt1dtsz9qpdjzqG8m', destination: 'governance' };
const message = reviewCommentMessage();

const bot = slackBotDepsPerTest();
let slack: FakeSlack;
beforeEach(async () => {
  slack = await startFakeSlack();
});
afterEach(() => slack.close());

const notifierFor = (channel: string, timeoutMs?: number) =>
  createSlackNotifier({ ...bot, botToken: TOKEN, apiUrl: slack.url, channel, timeoutMs });

describe('Slack notifier', () => {
  it('posts the rendered message to the channel with the bot token', async () => {
    const result = await notifierFor('C0GOVERNANCE').send(message, context);

    expect(result).toEqual({ messageId: expect.stringMatching(/^\d+\.\d+$/), channelId: 'C0GOVERNANCE' });
    expect(slack.calls.map((call) => call.method)).toEqual(['chat.postMessage']);
    const [post] = slack.calls;
    expect(post?.authorization).toBe(`Bearer ${TOKEN}`);
    expect(post?.body).toMatchObject({ channel: 'C0GOVERNANCE', ...message });
    expect(post?.body).not.toHaveProperty('thread_ts');
    expect(post?.body).not.toHaveProperty('link_names');
    expect(post?.body).not.toHaveProperty('parse');
  });

  it('accepts an API URL written without its trailing slash', async () => {
    const notifier = createSlackNotifier({
      ...bot,
      botToken: TOKEN,
      apiUrl: slack.url.replace(/\/$/, ''),
      channel: 'C1',
    });
    await notifier.send(message, context);

    expect(slack.callsTo('chat.postMessage')).toHaveLength(1);
  });

  it('replies under the thread it is given', async () => {
    const notifier = notifierFor('C0GOVERNANCE');
    const parent = await notifier.send(message, context);
    const reply = await notifier.send(message, { ...context, threadId: parent.messageId });

    expect(slack.callsTo('chat.postMessage')[1]?.body.thread_ts).toBe(parent.messageId);
    expect(reply.messageId).not.toBe(parent.messageId);
  });

  it('updates an earlier message in place instead of posting a new one', async () => {
    const notifier = notifierFor('C0GOVERNANCE');
    const first = await notifier.send(message, context);
    const changed = { ...message, text: 'Review approved' };
    const updated = await notifier.send(changed, { ...context, updateId: first.messageId });

    expect(updated).toEqual(first);
    expect(slack.callsTo('chat.postMessage')).toHaveLength(1);
    expect(slack.callsTo('chat.update')[0]?.body).toMatchObject({
      channel: 'C0GOVERNANCE',
      ts: first.messageId,
      text: 'Review approved',
      blocks: message.blocks,
    });
  });

  it('posts to a #name and updates through the channel id Slack returned', async () => {
    const notifier = notifierFor('#ai-governance');
    const first = await notifier.send(message, context);
    expect(first.channelId).toBe(slack.channelIdFor('ai-governance'));

    const updated = await notifier.send(message, {
      ...context,
      updateId: first.messageId,
      channelId: first.channelId,
    });
    expect(updated).toEqual(first);
  });
});

describe('Slack notifier failures', () => {
  it.each([
    'channel_not_found',
    'not_in_channel',
    'invalid_auth',
    'not_authed',
    'account_inactive',
    'token_revoked',
    'invalid_blocks',
    'msg_too_long',
    'is_archived',
    'no_permission',
    'missing_scope',
    'invalid_arguments',
  ])('%s is permanent and named by its code alone', async (code) => {
    slack.answerNext('chat.postMessage', { error: code });
    const error = await failureOf(notifierFor('C0GOVERNANCE').send(message, context));

    expect(error).toMatchObject({ retryable: false, message: code });
    // What a logger would print, causes included.
    expect(inspect(error, { depth: null })).not.toContain(TOKEN);
  });

  it.each([
    'internal_error',
    'fatal_error',
    'service_unavailable',
    'request_timeout',
    'rate_limited',
    'team_added_to_org',
  ])('%s is retryable', async (code) => {
    slack.answerNext('chat.postMessage', { error: code });
    const error = await failureOf(notifierFor('C0GOVERNANCE').send(message, context));

    expect(error).toMatchObject({ retryable: true, message: code, retryAfterMs: undefined });
  });

  it('retries a code Slack may add later a few times, and says to report it (issue #16)', async () => {
    slack.answerNext('chat.postMessage', { error: 'a_code_slack_invents_next_year' });
    const error = await failureOf(notifierFor('C0GOVERNANCE').send(message, context));

    expect(error).toMatchObject({
      retryable: true,
      code: 'CN_SLACK_UNKNOWN_ERROR',
      maxAttempts: 4,
      message: 'a_code_slack_invents_next_year',
    });
    expect(error.remedy).toContain('report');
  });

  it('names the channel to invite the bot to, and the scope to add (issue #16)', async () => {
    slack.answerNext('chat.postMessage', { error: 'not_in_channel' });
    slack.answerNext('chat.postMessage', {
      status: 200,
      body: { ok: false, error: 'missing_scope', needed: 'chat:write', provided: 'users:read' },
    });
    const notInChannel = await failureOf(notifierFor('#ai-reviews').send(message, context));
    const missingScope = await failureOf(notifierFor('#ai-reviews').send(message, context));

    expect(notInChannel.remedy).toBe('invite the bot to #ai-reviews (`/invite @Credo AI`)');
    expect(missingScope.remedy).toContain('add the scope chat:write');
    expect(missingScope.remedy).toContain('reinstall the app');
  });

  it('surfaces a 429 with its exact Retry-After, without the client waiting or retrying', async () => {
    slack.answerNext('chat.postMessage', { status: 429, retryAfterSeconds: 30 });
    const error = await failureOf(notifierFor('C0GOVERNANCE').send(message, context));

    expect(error).toMatchObject({ retryable: true, retryAfterMs: 30_000 });
    expect(slack.calls).toHaveLength(1);
    expect(slack.rateLimitedCount).toBe(1);
  });

  it('makes an HTTP 5xx retryable after a single call', async () => {
    slack.answerNext('chat.postMessage', { status: 503 });
    const error = await failureOf(notifierFor('C0GOVERNANCE').send(message, context));

    expect(error).toMatchObject({ retryable: true, message: 'HTTP 503' });
    expect(slack.calls).toHaveLength(1);
  });

  it('takes an HTTP 200 that is not a Web API answer (a proxy page) for no answer, retryably', async () => {
    slack.answerNext('chat.postMessage', { status: 200, body: '<html>captive portal</html>' });
    const error = await failureOf(notifierFor('C0GOVERNANCE').send(message, context));

    expect(error).toMatchObject({ retryable: true, code: 'CN_SLACK_UNREACHABLE' });
  });

  it('makes a refused connection retryable', async () => {
    const notifier = createSlackNotifier({
      ...bot,
      botToken: TOKEN,
      apiUrl: await refusedUrl('/api/'),
      channel: 'C1',
    });
    const error = await failureOf(notifier.send(message, context));

    expect(error).toMatchObject({ retryable: true, message: 'no answer from Slack: ECONNREFUSED' });
  });

  it('gives up on a Slack that never answers, retryably', async () => {
    slack.answerNext('chat.postMessage', { hang: true });
    const error = await failureOf(notifierFor('C0GOVERNANCE', 200).send(message, context));

    expect(error).toMatchObject({ retryable: true, message: 'no answer from Slack: timed out' });
  });

  it('refuses to post when no Slack message was rendered: it takes nothing else (checked by tsc)', () => {
    expectTypeOf(notifierFor('C0GOVERNANCE').send).parameter(0).toEqualTypeOf<SlackMessage>();
    expect(slack.calls).toHaveLength(0);
  });

  it('keeps one rate-limited channel from holding back another', async () => {
    const limited = await startFakeSlack({ rateLimit: { messages: 1, perMs: 60_000 } });
    try {
      const notifier = (channel: string) =>
        createSlackNotifier({ ...bot, botToken: TOKEN, apiUrl: limited.url, channel });
      await notifier('C0BUSY').send(message, context);
      const error = await failureOf(notifier('C0BUSY').send(message, context));
      const other = await notifier('C0QUIET').send(message, context);

      expect(error.retryable).toBe(true);
      expect(error.retryAfterMs).toBeGreaterThan(0);
      expect(error.retryAfterMs).toBeLessThanOrEqual(60_000);
      expect(other.channelId).toBe('C0QUIET');
      expect(limited.rateLimitedCount).toBe(1);
    } finally {
      await limited.close();
    }
  });
});
