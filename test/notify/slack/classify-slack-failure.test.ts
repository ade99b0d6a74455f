import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import {
  classifySlackFailure,
  UNKNOWN_CODE_ATTEMPTS,
} from '../../../src/notify/slack/classify-slack-failure.js';

// Slack's error codes: each method's page at docs.slack.dev/reference/methods/<method> lists its
// own (chat.postMessage, chat.update, conversations.*, users.lookupByEmail), and for incoming
// webhooks (no_service, invalid_token...) docs.slack.dev/messaging/sending-messages-using-incoming-webhooks
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
    ['msg_too_long', 'CN_SLACK_REQUEST_REJECTED'],
    ['account_inactive', 'CN_SLACK_AUTH_FAILED'],
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

  it('says what waits for the retry: all of Slack after a 5xx or no answer, the channel after a throttle, else the job (issue #17)', () => {
    const scopeOf = (failure: Parameters<typeof classifySlackFailure>[0]) =>
      classifySlackFailure(failure).scope;

    expect(scopeOf({ kind: 'answered', status: 503 })).toBe('service');
    expect(scopeOf({ kind: 'answered', status: 500 })).toBe('service');
    expect(scopeOf({ kind: 'unanswered', error: new Error('socket hang up') })).toBe('service');
    expect(scopeOf({ kind: 'answered', status: 429, retryAfterSeconds: 3 })).toBe('destination');
    expect(scopeOf({ kind: 'answered', status: 429 })).toBe('destination');
    expect(scopeOf({ kind: 'answered', status: 200, code: 'rate_limited' })).toBe('destination');
    // One channel's transient trouble must not hold every other channel.
    expect(scopeOf({ kind: 'answered', status: 200, code: 'external_channel_migrating' })).toBe('job');
    expect(scopeOf({ kind: 'answered', status: 200, code: 'msg_too_long' })).toBe('job');
  });

  it.each([
    ['rate_limited', 'CN_SLACK_RATE_LIMITED'],
    ['ratelimited', 'CN_SLACK_RATE_LIMITED'],
    ['team_added_to_org', 'CN_SLACK_UNAVAILABLE'],
    ['fatal_error', 'CN_SLACK_UNAVAILABLE'],
    ['service_unavailable', 'CN_SLACK_UNAVAILABLE'],
    ['request_timeout', 'CN_SLACK_UNAVAILABLE'],
  ])('retries %s, which Slack documents as passing, as %s (issue #16)', (slackCode, code) => {
    expect(classifySlackFailure({ kind: 'answered', status: 200, code: slackCode })).toMatchObject({
      code,
      retryable: true,
      maxAttempts: undefined,
    });
  });

  // Codes are reported once per process, and other files of this worker may have seen a fixed
  // one already: this run's is its own.
  const unknownCode = `a_code_slack_invents_next_year_${process.pid}_${Date.now()}`;

  it.each([unknownCode, 'constructor'])(
    'tries the unknown %s a few times, not a day long (issue #16)',
    (slackCode) => {
      const failure = { kind: 'answered', status: 200, code: slackCode } as const;

      expect(classifySlackFailure(failure, {})).toMatchObject({
        code: 'CN_SLACK_UNKNOWN_ERROR',
        retryable: true,
        maxAttempts: UNKNOWN_CODE_ATTEMPTS,
        message: slackCode,
      });
    },
  );

  it('reports an unknown code once, not once per failed job (issue #16)', () => {
    const lines: Array<Record<string, unknown>> = [];
    const log = pino({ level: 'info' }, { write: (line: string) => void lines.push(JSON.parse(line)) });
    const failure = { kind: 'answered', status: 200, code: unknownCode } as const;

    classifySlackFailure(failure, { log });
    classifySlackFailure(failure, { log });

    expect(lines).toEqual([
      expect.objectContaining({ code: 'CN_SLACK_UNKNOWN_ERROR', slackError: unknownCode }),
    ]);
  });

  it('refuses an unknown code of a webhook (HTTP 4xx) at once, as before', () => {
    expect(classifySlackFailure({ kind: 'answered', status: 400, code: 'brand_new' })).toMatchObject({
      code: 'CN_SLACK_REQUEST_REJECTED',
      retryable: false,
    });
  });

  it('says what to do: invite the bot, add the scope Slack names (issue #16)', () => {
    const notInChannel = classifySlackFailure(
      { kind: 'answered', status: 200, code: 'not_in_channel' },
      { channel: '#ai-reviews' },
    );
    const missingScope = classifySlackFailure({
      kind: 'answered',
      status: 200,
      code: 'missing_scope',
      needed: 'channels:history',
    });

    expect(notInChannel.remedy).toContain('invite the bot to #ai-reviews (`/invite @');
    expect(missingScope.remedy).toMatch(/^add the scope channels:history .* reinstall the app$/);
  });
});
