import type { ErrorCode } from '../../errors.js';
import type { Logger } from '../../log.js';
import { DeliveryError } from '../notifier.js';
import type { PlatformFailure } from '../platform-failure.js';

/** What a Slack error code means for a job, and what an operator does about it. */
interface SlackErrorMeaning {
  code: ErrorCode;
  retryable: boolean;
  /** What to do, for the dead letter's reason: the fix is the operator's, not a retry's. */
  remedy?: (where: FailureContext & { needed?: string }) => string;
}

/** What the caller knows of the failed call, for the reason it gives. */
export interface FailureContext {
  /** The destination's channel as configured (`#name`, an id): named in what to do. */
  channel?: string;
  cause?: unknown;
  /** Where a code this table does not know is reported, once per code per process. */
  log?: Logger;
}

const retry = (code: ErrorCode): SlackErrorMeaning => ({ code, retryable: true });
const permanent = (code: ErrorCode, remedy: SlackErrorMeaning['remedy']): SlackErrorMeaning => ({
  code,
  retryable: false,
  remedy,
});

const channelOf = (where: FailureContext) => where.channel ?? 'the channel';
const invite = (where: FailureContext) => `invite the bot to ${channelOf(where)} (\`/invite @Credo AI\`)`;
const unarchive = (where: FailureContext) => `unarchive ${channelOf(where)}, or route its events elsewhere`;
const allowPosting = (where: FailureContext) =>
  `ask a Slack admin to let the bot post in ${channelOf(where)} as it is (read-only, threads only...)`;
const reinstall = () => 'install the app again, put its new bot token in slack.botToken and restart';
const newWebhook = () => 'create a new incoming webhook and put its URL in the config';
const fixTemplate = () => 'Slack refuses the rendered message: check its template with `credo-notify render`';
const report = () => 'credo-notify called Slack wrongly, a bug: please report it with this dead letter';
const gone = () => 'nothing: the message it was about is gone';

/**
 * Every error code Slack documents for the methods credo-notify calls, by what it means for a
 * job. Slack lists them on each method's page:
 * - https://docs.slack.dev/reference/methods/chat.postMessage: `rate_limited` is its HTTP 200
 *   throttle, beside the 429 `ratelimited`; `team_added_to_org` is "intermittently unavailable
 *   until the transition is complete". Both pass, so both are retried.
 * - https://docs.slack.dev/reference/methods/chat.update
 * - https://docs.slack.dev/reference/methods/conversations.open
 * - https://docs.slack.dev/reference/methods/conversations.history
 * - https://docs.slack.dev/reference/methods/conversations.replies
 * - https://docs.slack.dev/reference/methods/conversations.list
 * - https://docs.slack.dev/reference/methods/users.lookupByEmail: `users_not_found` is no
 *   failure, but "nobody" (slack-chat-platform.ts).
 * - incoming webhooks, https://api.slack.com/messaging/webhooks#handling_errors: `no_service`,
 *   `invalid_token`, `channel_is_archived`, `action_prohibited`... as the body of a 4xx.
 * The @slack/web-api client throws each `ok: false` answer as a WebAPIPlatformError whose
 * `data` is the answer (node_modules/@slack/web-api/dist/WebClient.js, apiCall).
 */
const SLACK_ERRORS = new Map<string, SlackErrorMeaning>([
  // Slack's own words for "try again later".
  ['ratelimited', retry('CN_SLACK_RATE_LIMITED')],
  ['rate_limited', retry('CN_SLACK_RATE_LIMITED')],
  ['team_added_to_org', retry('CN_SLACK_UNAVAILABLE')],
  ['org_login_required', retry('CN_SLACK_UNAVAILABLE')],
  ['external_channel_migrating', retry('CN_SLACK_UNAVAILABLE')],
  ['internal_error', retry('CN_SLACK_UNAVAILABLE')],
  ['fatal_error', retry('CN_SLACK_UNAVAILABLE')],
  ['service_unavailable', retry('CN_SLACK_UNAVAILABLE')],
  ['request_timeout', retry('CN_SLACK_UNAVAILABLE')],
  ['update_failed', retry('CN_SLACK_UNAVAILABLE')],
  ['streaming_state_conflict', retry('CN_SLACK_UNAVAILABLE')],
  // The channel.
  [
    'channel_not_found',
    permanent(
      'CN_SLACK_CHANNEL_NOT_FOUND',
      (where) =>
        `check ${channelOf(where)} in the config: Slack has no such channel, or the bot cannot see it ` +
        '(invite it to a private channel first)',
    ),
  ],
  ['not_in_channel', permanent('CN_SLACK_NOT_IN_CHANNEL', invite)],
  ['no_permission', permanent('CN_SLACK_NOT_IN_CHANNEL', invite)],
  ['is_archived', permanent('CN_SLACK_CHANNEL_ARCHIVED', unarchive)],
  ['is_inactive', permanent('CN_SLACK_CHANNEL_ARCHIVED', unarchive)],
  ['channel_is_archived', permanent('CN_SLACK_CHANNEL_ARCHIVED', newWebhook)],
  ['restricted_action', permanent('CN_SLACK_REQUEST_REJECTED', allowPosting)],
  ['restricted_action_read_only_channel', permanent('CN_SLACK_REQUEST_REJECTED', allowPosting)],
  ['restricted_action_thread_only_channel', permanent('CN_SLACK_REQUEST_REJECTED', allowPosting)],
  ['restricted_action_non_threadable_channel', permanent('CN_SLACK_REQUEST_REJECTED', allowPosting)],
  ['ekm_access_denied', permanent('CN_SLACK_REQUEST_REJECTED', allowPosting)],
  ['access_denied', permanent('CN_SLACK_REQUEST_REJECTED', allowPosting)],
  ['action_prohibited', permanent('CN_SLACK_REQUEST_REJECTED', allowPosting)],
  ['slack_connect_file_link_sharing_blocked', permanent('CN_SLACK_REQUEST_REJECTED', allowPosting)],
  ['enterprise_is_restricted', permanent('CN_SLACK_REQUEST_REJECTED', allowPosting)],
  ['accesslimited', permanent('CN_SLACK_REQUEST_REJECTED', allowPosting)],
  // The token.
  ['not_authed', permanent('CN_SLACK_AUTH_FAILED', reinstall)],
  ['invalid_auth', permanent('CN_SLACK_AUTH_FAILED', reinstall)],
  ['account_inactive', permanent('CN_SLACK_AUTH_FAILED', reinstall)],
  ['token_revoked', permanent('CN_SLACK_AUTH_FAILED', reinstall)],
  ['token_expired', permanent('CN_SLACK_AUTH_FAILED', reinstall)],
  ['not_allowed_token_type', permanent('CN_SLACK_AUTH_FAILED', reinstall)],
  ['team_access_not_granted', permanent('CN_SLACK_AUTH_FAILED', reinstall)],
  ['two_factor_setup_required', permanent('CN_SLACK_AUTH_FAILED', reinstall)],
  ['team_not_found', permanent('CN_SLACK_AUTH_FAILED', reinstall)],
  ['invalid_token', permanent('CN_SLACK_AUTH_FAILED', newWebhook)],
  [
    'missing_scope',
    permanent(
      'CN_SLACK_MISSING_SCOPE',
      (where) =>
        `add the scope ${where.needed ?? 'the call needs'} to the app (slack-app-manifest.yaml lists them) ` +
        'and reinstall the app',
    ),
  ],
  [
    'invalid_types',
    permanent(
      'CN_SLACK_MISSING_SCOPE',
      () => 'add the scopes channels:read and groups:read and reinstall the app',
    ),
  ],
  ['no_service', permanent('CN_SLACK_WEBHOOK_GONE', newWebhook)],
  ['no_team', permanent('CN_SLACK_WEBHOOK_GONE', newWebhook)],
  ['team_disabled', permanent('CN_SLACK_WEBHOOK_GONE', newWebhook)],
  // The message: rendering it again renders it the same.
  ['msg_too_long', permanent('CN_SLACK_REQUEST_REJECTED', fixTemplate)],
  ['msg_blocks_too_long', permanent('CN_SLACK_REQUEST_REJECTED', fixTemplate)],
  ['invalid_blocks', permanent('CN_SLACK_REQUEST_REJECTED', fixTemplate)],
  ['invalid_blocks_format', permanent('CN_SLACK_REQUEST_REJECTED', fixTemplate)],
  ['block_mismatch', permanent('CN_SLACK_REQUEST_REJECTED', fixTemplate)],
  ['no_text', permanent('CN_SLACK_REQUEST_REJECTED', fixTemplate)],
  ['too_many_attachments', permanent('CN_SLACK_REQUEST_REJECTED', fixTemplate)],
  ['invalid_attachments', permanent('CN_SLACK_REQUEST_REJECTED', fixTemplate)],
  ['markdown_text_conflict', permanent('CN_SLACK_REQUEST_REJECTED', fixTemplate)],
  ['invalid_payload', permanent('CN_SLACK_REQUEST_REJECTED', fixTemplate)],
  // The message to update, or the thread to look in.
  ['message_not_found', permanent('CN_SLACK_REQUEST_REJECTED', gone)],
  ['thread_not_found', permanent('CN_SLACK_REQUEST_REJECTED', gone)],
  ['cant_update_message', permanent('CN_SLACK_REQUEST_REJECTED', gone)],
  ['edit_window_closed', permanent('CN_SLACK_REQUEST_REJECTED', gone)],
  ['cant_broadcast_message', permanent('CN_SLACK_REQUEST_REJECTED', gone)],
  // The request itself: repeating it repeats the answer.
  ['invalid_arguments', permanent('CN_SLACK_REQUEST_REJECTED', report)],
  ['invalid_arg_name', permanent('CN_SLACK_REQUEST_REJECTED', report)],
  ['invalid_array_arg', permanent('CN_SLACK_REQUEST_REJECTED', report)],
  ['invalid_charset', permanent('CN_SLACK_REQUEST_REJECTED', report)],
  ['invalid_form_data', permanent('CN_SLACK_REQUEST_REJECTED', report)],
  ['invalid_post_type', permanent('CN_SLACK_REQUEST_REJECTED', report)],
  ['missing_post_type', permanent('CN_SLACK_REQUEST_REJECTED', report)],
  ['invalid_cursor', permanent('CN_SLACK_REQUEST_REJECTED', report)],
  ['invalid_ts_latest', permanent('CN_SLACK_REQUEST_REJECTED', report)],
  ['invalid_ts_oldest', permanent('CN_SLACK_REQUEST_REJECTED', report)],
  ['invalid_metadata_format', permanent('CN_SLACK_REQUEST_REJECTED', report)],
  ['invalid_metadata_schema', permanent('CN_SLACK_REQUEST_REJECTED', report)],
  ['metadata_too_large', permanent('CN_SLACK_REQUEST_REJECTED', report)],
  ['metadata_must_be_sent_from_app', permanent('CN_SLACK_REQUEST_REJECTED', report)],
  ['no_dual_broadcast_content_update', permanent('CN_SLACK_REQUEST_REJECTED', report)],
  ['as_user_not_supported', permanent('CN_SLACK_REQUEST_REJECTED', report)],
  ['invalid_limit', permanent('CN_SLACK_REQUEST_REJECTED', report)],
  ['missing_argument', permanent('CN_SLACK_REQUEST_REJECTED', report)],
  ['method_not_supported_for_channel_type', permanent('CN_SLACK_REQUEST_REJECTED', report)],
  ['users_list_not_supplied', permanent('CN_SLACK_REQUEST_REJECTED', report)],
  ['not_enough_users', permanent('CN_SLACK_REQUEST_REJECTED', report)],
  ['too_many_users', permanent('CN_SLACK_REQUEST_REJECTED', report)],
  ['invalid_user_combination', permanent('CN_SLACK_REQUEST_REJECTED', report)],
  ['method_deprecated', permanent('CN_SLACK_REQUEST_REJECTED', report)],
  ['deprecated_endpoint', permanent('CN_SLACK_REQUEST_REJECTED', report)],
  // conversations.open's user_not_found, user_not_visible and user_disabled are no failure, but
  // a person out of reach: slack-chat-platform.ts.
]);

/**
 * Attempts an `ok: false` code this table does not know gets: Slack may have added a transient
 * one, and a few tries cost little; a request it refuses for good is dead-lettered soon after.
 */
export const UNKNOWN_CODE_ATTEMPTS = 4;

/** Codes already reported this process: one warning per code, not one per failed job. */
const reportedUnknownCodes = new Set<string>();

/**
 * Turns a failure into a DeliveryError: retryable when waiting can help (rate limits, 5xx,
 * network trouble, Slack's transient codes), permanent when the request or the setup is wrong,
 * with what to do as its remedy. The message is the Slack error code, with no URL or token, so
 * it is safe to log.
 */
export function classifySlackFailure(failure: PlatformFailure, where: FailureContext = {}): DeliveryError {
  const { cause } = where;
  if (failure.kind === 'unanswered') {
    return new DeliveryError(describeUnanswered(failure.error), {
      code: 'CN_SLACK_UNREACHABLE',
      retryable: true,
      // No answer at all: Slack (or the way there) is down, for every channel alike.
      scope: 'service',
      cause,
    });
  }
  const { status, code, retryAfterSeconds } = failure;
  if (status === 429) {
    return new DeliveryError(code ?? 'rate limited', {
      code: 'CN_SLACK_RATE_LIMITED',
      retryable: true,
      retryAfterMs: retryAfterSeconds === undefined ? undefined : retryAfterSeconds * 1000,
      // Slack counts its limits per channel (chat.postMessage: about one a second per channel).
      scope: 'destination',
      cause,
    });
  }
  const meaning = code === undefined ? undefined : SLACK_ERRORS.get(code);
  if (status >= 500) {
    return new DeliveryError(code ?? `HTTP ${status}`, {
      code: 'CN_SLACK_UNAVAILABLE',
      retryable: true,
      // An HTTP 5xx is Slack failing, not the channel: status.slack.com's incidents answer every
      // channel alike. Its transient `ok: false` codes stay per job: one channel migrating
      // (external_channel_migrating) must not hold all the others.
      scope: 'service',
      cause,
    });
  }
  if (meaning) {
    const remedy = meaning.remedy?.({ ...where, needed: failure.needed });
    return new DeliveryError(String(code), {
      code: meaning.code,
      retryable: meaning.retryable,
      remedy,
      // `rate_limited` is the HTTP 200 form of the channel's 429 (chat.postMessage's page).
      scope: meaning.code === 'CN_SLACK_RATE_LIMITED' ? 'destination' : 'job',
      cause,
    });
  }
  // Web API errors come as HTTP 200 with `ok: false`; a webhook's unknown 4xx is a refusal.
  if (code !== undefined && status === 200) return unknownCode(code, where);
  return new DeliveryError(code ?? `HTTP ${status}`, {
    code: 'CN_SLACK_REQUEST_REJECTED',
    retryable: false,
    cause,
  });
}

function unknownCode(code: string, { cause, log }: FailureContext): DeliveryError {
  if (log && !reportedUnknownCodes.has(code)) {
    reportedUnknownCodes.add(code);
    log.warn(
      { code: 'CN_SLACK_UNKNOWN_ERROR', slackError: code },
      `Slack answered the error "${code}", which credo-notify does not know: such sends are tried ` +
        `${UNKNOWN_CODE_ATTEMPTS} times, then dead-lettered. Please report it.`,
    );
  }
  return new DeliveryError(code, {
    code: 'CN_SLACK_UNKNOWN_ERROR',
    retryable: true,
    maxAttempts: UNKNOWN_CODE_ATTEMPTS,
    remedy: report(),
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
