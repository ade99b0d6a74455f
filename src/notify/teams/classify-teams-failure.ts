import type { ErrorCode } from '../../errors.js';
import { DeliveryError } from '../notifier.js';
import type { PlatformFailure } from '../platform-failure.js';

/**
 * Microsoft asks bots to retry 412, 429, 502 and 504, honouring Retry-After; any other 5xx is a
 * hiccup worth another try too. Every other 4xx says the request itself is wrong or no longer
 * welcome (403: the bot was removed; 404: the conversation is gone): repeating it only repeats
 * the answer. https://learn.microsoft.com/microsoftteams/platform/bots/how-to/rate-limit
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
      cause,
    });
  }
  const { status, code, retryAfterSeconds } = failure;
  const message = `${service} answered HTTP ${status}${code ? ` (${code})` : ''}`;
  const retryable = status === 412 || status === 429 || status >= 500;
  return new DeliveryError(message, {
    code: codeFor(status),
    retryable,
    retryAfterMs: retryable && retryAfterSeconds !== undefined ? retryAfterSeconds * 1000 : undefined,
    cause,
  });
}

/** By status alone: the connector's own codes (BotNotInConversationRoster...) stay in the message. */
function codeFor(status: number): ErrorCode {
  if (status === 429) return 'CN_TEAMS_RATE_LIMITED';
  if (status === 412 || status >= 500) return 'CN_TEAMS_UNAVAILABLE';
  return TEAMS_CODES.get(status) ?? 'CN_TEAMS_REQUEST_REJECTED';
}

const TEAMS_CODES = new Map<number, ErrorCode>([
  [401, 'CN_TEAMS_AUTH_FAILED'],
  [403, 'CN_TEAMS_FORBIDDEN'],
  [404, 'CN_TEAMS_NOT_FOUND'],
  [413, 'CN_TEAMS_MESSAGE_TOO_LARGE'],
]);

/** Retry-After as seconds: a number, or an HTTP date. */
export function retryAfterSeconds(header: string | null | undefined, now = Date.now()): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds;
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - now) / 1000));
}

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
