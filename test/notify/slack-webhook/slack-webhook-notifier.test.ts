import { inspect } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSlackWebhookNotifier } from '../../../src/notify/slack-webhook/slack-webhook-notifier.js';
import { type FakeSlack, startFakeSlack } from '../../helpers/fake-slack.js';
import { failureOf, refusedUrl } from '../failures.js';
import { reviewCommentMessage } from '../sample-message.js';

const context = { eventId: 'msg_30zZvVW6oyBt1dtsz9qpdjzqG8m', destination: 'legacy' };
const message = reviewCommentMessage();

let slack: FakeSlack;
beforeEach(async () => {
  slack = await startFakeSlack();
});
afterEach(() => slack.close());

describe('Slack incoming-webhook notifier', () => {
  it('posts the text and blocks as JSON', async () => {
    const result = await createSlackWebhookNotifier({ url: slack.webhookUrl }).send(message, context);

    expect(result).toEqual({});
    expect(slack.calls.map((call) => call.method)).toEqual(['webhook']);
    expect(slack.calls[0]?.body).toEqual(message);
  });

  it('surfaces a 429 with its exact Retry-After', async () => {
    slack.answerNext('webhook', { status: 429, body: 'rate_limited', retryAfterSeconds: 7 });
    const error = await failureOf(
      createSlackWebhookNotifier({ url: slack.webhookUrl }).send(message, context),
    );

    expect(error).toMatchObject({ retryable: true, retryAfterMs: 7_000 });
    expect(slack.calls).toHaveLength(1);
  });

  it('makes a 5xx retryable, and never repeats an HTML error page', async () => {
    slack.answerNext('webhook', { status: 502, body: '<html><body>Bad gateway</body></html>' });
    const error = await failureOf(
      createSlackWebhookNotifier({ url: slack.webhookUrl }).send(message, context),
    );

    expect(error).toMatchObject({ retryable: true, message: 'HTTP 502' });
  });

  it.each([
    [400, 'invalid_payload'],
    [403, 'action_prohibited'],
    [404, 'no_service'],
    [410, 'channel_is_archived'],
  ])('makes HTTP %i %s permanent, named by its code and never by the URL', async (status, code) => {
    slack.answerNext('webhook', { status, body: code });
    const error = await failureOf(
      createSlackWebhookNotifier({ url: slack.webhookUrl }).send(message, context),
    );

    expect(error).toMatchObject({ retryable: false, message: code });
    expect(inspect(error, { depth: null })).not.toContain('not-a-real-secret');
  });

  it('makes a refused connection retryable without quoting the URL', async () => {
    const url = await refusedUrl('/webhook/T0/B0/not-a-real-secret');
    const error = await failureOf(createSlackWebhookNotifier({ url }).send(message, context));

    expect(error).toMatchObject({ retryable: true, message: 'no answer from Slack: ECONNREFUSED' });
    expect(inspect(error, { depth: null })).not.toContain('not-a-real-secret');
  });

  it('gives up on a webhook that never answers, retryably', async () => {
    slack.answerNext('webhook', { hang: true });
    const notifier = createSlackWebhookNotifier({ url: slack.webhookUrl, timeoutMs: 200 });
    const error = await failureOf(notifier.send(message, context));

    expect(error).toMatchObject({ retryable: true, message: 'no answer from Slack: timed out' });
  });
});
