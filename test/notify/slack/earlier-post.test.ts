import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DeliveryError, type SendContext } from '../../../src/notify/notifier.js';
import { createSlackNotifier } from '../../../src/notify/slack/slack-notifier.js';
import { type FakeSlack, startFakeSlack } from '../../helpers/fake-slack.js';
import { slackBotDepsPerTest } from '../../helpers/slack-bot-deps.js';
import { reviewCommentMessage } from '../sample-message.js';

const CHANNEL = 'C0GOVERNANCE';
const message = reviewCommentMessage();
const firstAttempt: SendContext = {
  eventId: 'msg_30zZvVW6oyBt1dtsz9qpdjzqG8m',
  destination: 'governance',
  jobId: 42,
};
/** The same job again, after an attempt that may have posted. */
const laterAttempt: SendContext = { ...firstAttempt, earlierAttemptSince: Date.now() - 60_000 };

const bot = slackBotDepsPerTest();
let slack: FakeSlack;
beforeEach(async () => {
  slack = await startFakeSlack();
});
afterEach(() => slack.close());

const notifierFor = (channel = CHANNEL) =>
  createSlackNotifier({ ...bot, botToken: 'xoxb-1111-2222-notasecret', apiUrl: slack.url, channel });
const postsOf = (eventId: string) =>
  slack.messages.filter((posted) => JSON.stringify(posted.metadata).includes(eventId));

describe('a Slack send after an attempt that may have posted (issue #6)', () => {
  it('tags each post with its job and event, out of sight of people', async () => {
    await notifierFor().send(message, firstAttempt);

    expect(slack.messages).toEqual([
      expect.objectContaining({
        text: message.text,
        metadata: { event_type: 'credo_notify', event_payload: { job: 42, event: firstAttempt.eventId } },
      }),
    ]);
  });

  it('does not look on a first attempt', async () => {
    await notifierFor().send(message, firstAttempt);

    expect(slack.calls.map((call) => call.method)).toEqual(['chat.postMessage']);
  });

  it('finds the post of the earlier attempt and does not post it again', async () => {
    const earlier = await notifierFor().send(message, firstAttempt);
    const again = await notifierFor().send(message, laterAttempt);

    expect(again).toEqual({ messageId: earlier.messageId, channelId: CHANNEL });
    expect(postsOf(firstAttempt.eventId)).toHaveLength(1);
  });

  it('finds its reply in a thread, not the thread parent its job posted first', async () => {
    const notifier = notifierFor();
    const parent = await notifier.send(message, firstAttempt);
    const threaded = { ...laterAttempt, threadId: parent.messageId };
    const missing = await notifier.send(message, threaded);
    const again = await notifier.send(message, threaded);

    expect(missing.messageId).not.toBe(parent.messageId);
    expect(again.messageId).toBe(missing.messageId);
    expect(slack.messages.map((posted) => posted.thread_ts)).toEqual([undefined, parent.messageId]);
  });

  it('posts when the earlier attempt never reached Slack', async () => {
    await notifierFor().send(message, { ...firstAttempt, jobId: 41 });
    await notifierFor('C0OTHER').send(message, firstAttempt);
    await notifierFor().send(message, laterAttempt);

    expect(slack.messages.filter((posted) => posted.channel === CHANNEL)).toHaveLength(2);
    expect(slack.callsTo('conversations.history')).toHaveLength(1);
  });

  it('takes no message of another delivery for its own, whatever its job number', async () => {
    await notifierFor().send(message, { ...firstAttempt, eventId: 'msg_from_another_database' });
    await notifierFor().send(message, laterAttempt);

    expect(postsOf(firstAttempt.eventId)).toHaveLength(1);
  });

  it('finds the earlier post among the 15 newest since the job began, the most Slack gives (issue #16)', async () => {
    const notifier = notifierFor();
    const earlier = await notifier.send(message, firstAttempt);
    for (let index = 0; index < 14; index++) {
      await notifier.send(message, { ...firstAttempt, eventId: `msg_${index}`, jobId: 100 + index });
    }
    const again = await notifier.send(message, laterAttempt);

    expect(again.messageId).toBe(earlier.messageId);
    // docs.slack.dev/apis/web-api/rate-limits: 15 messages a call for non-Marketplace apps since 2025.
    expect(slack.callsTo('conversations.history').map((call) => call.body.limit)).toEqual(['15']);
    expect(postsOf(firstAttempt.eventId)).toHaveLength(1);
  });

  it('posts again when the earlier post is behind more than 15 newer messages: a repeat beats a loss', async () => {
    const notifier = notifierFor();
    await notifier.send(message, firstAttempt);
    for (let index = 0; index < 15; index++) {
      await notifier.send(message, { ...firstAttempt, eventId: `msg_${index}`, jobId: 100 + index });
    }
    await notifier.send(message, laterAttempt);

    expect(slack.callsTo('conversations.history')).toHaveLength(1);
    expect(postsOf(firstAttempt.eventId)).toHaveLength(2);
  });

  it('posts when Slack will not let it look, since a repeat beats a loss', async () => {
    await notifierFor().send(message, firstAttempt);
    slack.answerNext('conversations.history', { error: 'missing_scope' });
    await notifierFor().send(message, laterAttempt);
    await notifierFor('#governance').send(message, laterAttempt);

    expect(postsOf(firstAttempt.eventId)).toHaveLength(3);
  });

  it('fails as retryable, posting nothing, when Slack cannot answer the look-up now', async () => {
    slack.answerNext('conversations.history', { status: 503 }, { status: 429, retryAfterSeconds: 7 });
    const unavailable = await notifierFor()
      .send(message, laterAttempt)
      .catch((error: unknown) => error);
    const limited = await notifierFor()
      .send(message, laterAttempt)
      .catch((error: unknown) => error);

    expect(unavailable).toMatchObject({ retryable: true });
    expect(limited).toMatchObject({ retryable: true, retryAfterMs: 7_000 });
    expect(unavailable).toBeInstanceOf(DeliveryError);
    expect(slack.messages).toEqual([]);
  });
});

describe('a #name or user id destination looking for its earlier post (issue #16)', () => {
  it('finds the post whose answer was lost, by the channel id conversations.list gives', async () => {
    slack.answerNext('chat.postMessage', { lostAnswer: true });
    const lost = await notifierFor('#ai-reviews')
      .send(message, firstAttempt)
      .catch((error: unknown) => error);
    const again = await notifierFor('#ai-reviews').send(message, laterAttempt);

    expect(lost).toMatchObject({ retryable: true });
    const id = slack.channelIdFor('ai-reviews');
    expect(again).toEqual({ messageId: slack.messages[0]?.ts, channelId: id });
    expect(postsOf(firstAttempt.eventId)).toHaveLength(1);
    expect(slack.callsTo('conversations.history')[0]?.body.channel).toBe(id);
  });

  it('keeps the id a post answered with in the store, so a restarted notifier asks Slack nothing', async () => {
    await notifierFor('#ai-reviews').send(message, { ...firstAttempt, eventId: 'msg_before', jobId: 41 });
    slack.answerNext('chat.postMessage', { lostAnswer: true });
    await notifierFor('#ai-reviews')
      .send(message, firstAttempt)
      .catch(() => undefined);
    await notifierFor('#ai-reviews').send(message, laterAttempt);

    expect(slack.callsTo('conversations.list')).toEqual([]);
    expect(postsOf(firstAttempt.eventId)).toHaveLength(1);
  });

  it('finds a direct message sent to a user id in the conversation conversations.open names', async () => {
    slack.answerNext('chat.postMessage', { lostAnswer: true });
    await notifierFor('U0STEVEN')
      .send(message, firstAttempt)
      .catch(() => undefined);
    const again = await notifierFor('U0STEVEN').send(message, laterAttempt);

    expect(again.channelId).toBe(slack.messages[0]?.channel);
    expect(postsOf(firstAttempt.eventId)).toHaveLength(1);
  });

  it('replies in a thread of a #name channel by its id, and finds the reply there', async () => {
    const notifier = notifierFor('#ai-reviews');
    const parent = await notifier.send(message, firstAttempt);
    const threaded = { ...laterAttempt, threadId: parent.messageId };
    slack.answerNext('chat.postMessage', { lostAnswer: true });
    await notifier.send(message, threaded).catch(() => undefined);
    await notifier.send(message, threaded);

    const replies = slack.callsTo('chat.postMessage').filter((call) => call.body.thread_ts);
    expect(replies.map((call) => call.body.channel)).toEqual([parent.channelId]);
    expect(slack.messages.filter((posted) => posted.thread_ts === parent.messageId)).toHaveLength(1);
  });
});
