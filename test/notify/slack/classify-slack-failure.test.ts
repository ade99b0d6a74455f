import { describe, expect, it } from 'vitest';
import { classifySlackFailure } from '../../../src/notify/slack/classify-slack-failure.js';

// Slack's error codes: https://api.slack.com/methods/chat.postMessage#errors, and for incoming
// webhooks (no_service, invalid_token...) https://api.slack.com/messaging/webhooks#handling_errors
describe('classifySlackFailure', () => {
  it.each([
    ['channel_not_found', 'CN_SLACK_CHANNEL_NOT_FOUND'],
    ['not_in_channel', 'CN_SLACK_NOT_IN_CHANNEL'],
    ['is_archived', 'CN_SLACK_CHANNEL_ARCHIVED'],
    ['channel_is_archived', 'CN_SLACK_CHANNEL_ARCHIVED'],
    ['invalid_auth', 'CN_SLACK_AUTH_FAILED'],
    ['token_revoked', 'CN_SLACK_AUTH_FAILED'],
    ['invalid_token', 'CN_SLACK_AUTH_FAILED'],
    ['missing_scope', 'CN_SLACK_MISSING_SCOPE'],
    ['no_service', 'CN_SLACK_WEBHOOK_GONE'],
    ['invalid_blocks', 'CN_SLACK_REQUEST_REJECTED'],
    ['a_code_slack_invents_next_year', 'CN_SLACK_REQUEST_REJECTED'],
    ['constructor', 'CN_SLACK_REQUEST_REJECTED'],
  ])('gives the permanent %s the code %s, and keeps the Slack code as the message', (slackCode, code) => {
    expect(classifySlackFailure({ kind: 'answered', status: 200, code: slackCode })).toMatchObject({
      code,
      retryable: false,
      message: slackCode,
    });
  });

  it('names what waiting can fix: a rate limit, Slack failing, no answer at all', () => {
    const limited = classifySlackFailure({ kind: 'answered', status: 429, retryAfterSeconds: 3 });
    const failing = classifySlackFailure({ kind: 'answered', status: 503 });
    const transient = classifySlackFailure({ kind: 'answered', status: 200, code: 'internal_error' });
    const silent = classifySlackFailure({ kind: 'unanswered', error: new Error('socket hang up') });

    expect(limited).toMatchObject({ code: 'CN_SLACK_RATE_LIMITED', retryable: true, retryAfterMs: 3_000 });
    expect(failing).toMatchObject({ code: 'CN_SLACK_UNAVAILABLE', retryable: true, message: 'HTTP 503' });
    expect(transient).toMatchObject({ code: 'CN_SLACK_UNAVAILABLE', retryable: true });
    expect(silent).toMatchObject({ code: 'CN_SLACK_UNREACHABLE', retryable: true });
  });
});
