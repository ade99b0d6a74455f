import type { ErrorCode } from '../../errors.js';
import { DeliveryError } from '../notifier.js';
import type { PlatformFailure } from '../platform-failure.js';

/** Slack's own words for "try again later"; every other code means the request itself is wrong. */
const RETRYABLE_CODES = new Set([
  'internal_error',
  'fatal_error',
  'service_unavailable',
  'request_timeout',
  'ratelimited',
]);

/** Slack error codes an operator acts on, by what they mean; any other is CN_SLACK_REQUEST_REJECTED. */
const CODES = new Map<string, ErrorCode>([
  ['ratelimited', 'CN_SLACK_RATE_LIMITED'],
  ['channel_not_found', 'CN_SLACK_CHANNEL_NOT_FOUND'],
  ['not_in_channel', 'CN_SLACK_NOT_IN_CHANNEL'],
  ['is_archived', 'CN_SLACK_CHANNEL_ARCHIVED'],
  ['channel_is_archived', 'CN_SLACK_CHANNEL_ARCHIVED'],
  ['not_authed', 'CN_SLACK_AUTH_FAILED'],
  ['invalid_auth', 'CN_SLACK_AUTH_FAILED'],
  ['account_inactive', 'CN_SLACK_AUTH_FAILED'],
  ['token_revoked', 'CN_SLACK_AUTH_FAILED'],
  ['token_expired', 'CN_SLACK_AUTH_FAILED'],
  ['invalid_token', 'CN_SLACK_AUTH_FAILED'],
  ['missing_scope', 'CN_SLACK_MISSING_SCOPE'],
  ['no_service', 'CN_SLACK_WEBHOOK_GONE'],
]);

/**
 * Turns a failure into a DeliveryError: retryable when waiting can help (rate limits, 5xx,
 * network trouble, Slack's transient codes), permanent otherwise. Unknown codes are permanent:
 * repeating a request Slack did not understand only repeats the answer. The message is the
 * Slack error code, so it is safe to log; callers pass no URL or token in.
 */
export function classifySlackFailure(failure: PlatformFailure, cause?: unknown): DeliveryError {
  if (failure.kind === 'unanswered') {
    return new DeliveryError(describeUnanswered(failure.error), {
      code: 'CN_SLACK_UNREACHABLE',
      retryable: true,
      cause,
    });
  }
  const { status, code, retryAfterSeconds } = failure;
  if (status === 429) {
    return new DeliveryError(code ?? 'rate limited', {
      code: 'CN_SLACK_RATE_LIMITED',
      retryable: true,
      retryAfterMs: retryAfterSeconds === undefined ? undefined : retryAfterSeconds * 1000,
      cause,
    });
  }
  const retryable = status >= 500 || (code !== undefined && RETRYABLE_CODES.has(code));
  return new DeliveryError(code ?? `HTTP ${status}`, {
    code: CODES.get(code ?? '') ?? (retryable ? 'CN_SLACK_UNAVAILABLE' : 'CN_SLACK_REQUEST_REJECTED'),
    retryable,
    cause,
  });
}

/** "timed out", or the system error code (ECONNREFUSED, ENOTFOUND...) fetch buried in its causes. */
function describeUnanswered(error: unknown): string {
  for (let current = error; current instanceof Error; current = current.cause) {
    if (current.name === 'TimeoutError') return 'no answer from Slack: timed out';
    const code = (current as NodeJS.ErrnoException).code;
    if (typeof code === 'string') return `no answer from Slack: ${code}`;
  }
  return 'no answer from Slack';
}
