import type { ErrorCode } from '../../errors.js';
import { DeliveryError, type FailureScope } from '../notifier.js';
import type { PlatformFailure } from '../platform-failure.js';

/**
 * Microsoft's "Status codes from bot conversational APIs" table says what to retry: 412, 429,
 * 502, 503 and 504 (429 after its Retry-After), and "bots must avoid retrying status codes that
 * aren't specified", a 500 included. No answer at all is retried too: the post may never have
 * arrived. https://learn.microsoft.com/microsoftteams/platform/bots/build-conversational-capability#status-codes-from-bot-conversational-apis
 * The message names the status and code only, so it is safe to log; callers pass no URL in.
 */
export function classifyTeamsFailure(
  failure: PlatformFailure,
  service: string,
  cause?: unknown,
): DeliveryError {
  if (failure.kind === 'unanswered') {
    return new DeliveryError(describeUnanswered(failure.error, service), {
      code: 'CN_TEAMS_UNREACHABLE',
      retryable: true,
      // No answer at all: the service (or the way there) is down, for every conversation alike.
      scope: 'service',
      cause,
    });
  }
  const { status, code, retryAfterSeconds } = failure;
  const message = `${service} answered HTTP ${status}${code ? ` (${code})` : ''}`;
  const retryable = RETRIED.has(status);
  return new DeliveryError(message, {
    code: codeFor(status),
    retryable,
    retryAfterMs: retryable && retryAfterSeconds !== undefined ? retryAfterSeconds * 1000 : undefined,
    scope: scopeFor(status),
    cause,
  });
}

const RETRIED = new Set([412, 429, 502, 503, 504]);

/**
 * A 429 throttles the bot in one conversation (the rate-limit page counts per bot per thread);
 * 502, 503 and 504 are the service failing, for every conversation alike; a 412 is one
 * message's conflict.
 */
function scopeFor(status: number): FailureScope {
  if (status === 429) return 'destination';
  return status === 502 || status === 503 || status === 504 ? 'service' : 'job';
}

/**
 * The answers after which the bot may not post in a conversation until someone there adds it
 * back or writes to it (the same table): removed from the roster, blocked, disabled by the
 * admin, or the conversation deleted. A 404 for a missing message (an update) is not one.
 */
export function isConversationGone(failure: PlatformFailure): boolean {
  if (failure.kind !== 'answered') return false;
  if (failure.status === 403) return GONE_CODES.has(failure.code ?? '');
  return failure.status === 404 && failure.code !== 'ActivityNotFoundInConversation';
}

const GONE_CODES = new Set(['BotNotInConversationRoster', 'ConversationBlockedByUser', 'BotDisabledByAdmin']);

/** By status alone: the connector's own codes (BotNotInConversationRoster...) stay in the message. */
function codeFor(status: number): ErrorCode {
  if (status === 429) return 'CN_TEAMS_RATE_LIMITED';
  if (RETRIED.has(status)) return 'CN_TEAMS_UNAVAILABLE';
  if (status >= 500) return 'CN_TEAMS_FAILED';
  return TEAMS_CODES.get(status) ?? 'CN_TEAMS_REQUEST_REJECTED';
}

const TEAMS_CODES = new Map<number, ErrorCode>([
  [401, 'CN_TEAMS_AUTH_FAILED'],
  [403, 'CN_TEAMS_FORBIDDEN'],
  [404, 'CN_TEAMS_NOT_FOUND'],
  [413, 'CN_TEAMS_MESSAGE_TOO_LARGE'],
]);

/** "timed out", or the system error code (ECONNREFUSED, ENOTFOUND...) buried in the causes. */
function describeUnanswered(error: unknown, service: string): string {
  for (let current = error; current instanceof Error; current = current.cause) {
    if (current.name === 'TimeoutError' || current.name === 'AbortError')
      return `no answer from ${service}: timed out`;
    const code = (current as NodeJS.ErrnoException).code;
    if (typeof code === 'string' && /^E[A-Z]+$/.test(code)) return `no answer from ${service}: ${code}`;
  }
  return `no answer from ${service}`;
}
