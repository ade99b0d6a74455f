/**
 * Every error code credo-notify emits, with what it means. A code is for machines and for
 * searching: it appears in HTTP error bodies, dead-letter reasons, metric labels and log lines,
 * and never changes once released. The message beside it is for people and may.
 */
export const ERROR_CODES = {
  // Receiving a delivery: HTTP answers to Credo AI (Svix).
  CN_SIGNATURE_MISSING: 'a Svix signature header (svix-id, svix-timestamp, svix-signature) is missing',
  CN_SIGNATURE_TIMESTAMP_INVALID: 'the svix-timestamp header is not a whole number of seconds',
  CN_TIMESTAMP_OUT_OF_TOLERANCE: 'the signed timestamp is further from now than credo.auth.toleranceSeconds',
  CN_SIGNATURE_INVALID: 'no signature matches the body with any configured secret',
  CN_TOKEN_MISSING: 'auth method oauth: the delivery carries no Authorization: Bearer token',
  CN_TOKEN_EXPIRED: 'auth method oauth: the bearer token has expired',
  CN_TOKEN_INVALID:
    'auth method oauth: the bearer token is malformed, wrongly signed or has a rejected claim',
  CN_TOKEN_ISSUER_UNREACHABLE: "auth method oauth: the external issuer's keys (jwksUrl) could not be fetched",
  CN_NOT_LOOPBACK: 'auth method none: deliveries are accepted from this machine (loopback) only',
  CN_TOO_MANY_FAILED_AUTH: 'this address failed authentication too often: refused until Retry-After',
  CN_DELIVERY_ID_TOO_LONG: 'the svix-id (or webhook-id) header is longer than 256 characters',
  CN_BODY_INVALID_JSON: 'the body is not valid JSON',
  CN_BODY_TOO_DEEP: 'the JSON nests deeper than any event does (64 levels)',
  CN_BODY_TOO_LARGE: 'the body is larger than server.bodyLimitBytes',
  CN_BODY_NOT_JSON: 'the content type is not application/json',
  CN_ENVELOPE_INVALID: 'the JSON is not a Credo AI event envelope (`type` and `data`)',
  CN_EVENT_INVALID: "the event's data does not match the schema of its type",
  CN_STORE_UNAVAILABLE: 'the store could not be written: nothing was stored, send it again later',
  CN_STORE_IN_USE:
    'another credo-notify serves this SQLite file: one server per file (several need PostgreSQL)',
  CN_MENTIONS_PAST_CAP:
    'an accepted event names more people than mentions.maxPerEvent: those past it are shown as names, not looked up or messaged',

  // Any HTTP route.
  CN_NOT_FOUND: 'no route for this method and path',
  CN_BAD_REQUEST: 'the HTTP request was refused before reaching a route',
  CN_INTERNAL: 'an unexpected error, a bug: the log line has the details',

  // The OAuth token endpoint (POST /oauth/token).
  CN_OAUTH_INVALID_CLIENT:
    'the token request matched neither the configured payload nor the client credentials',
  CN_OAUTH_UNSUPPORTED_GRANT_TYPE: 'the token request asks for a grant type other than client_credentials',

  // The admin API (/admin).
  CN_UNAUTHORIZED: 'missing or wrong admin bearer token (admin.token)',
  CN_LIMIT_INVALID: 'the `limit` query parameter is not a whole number from 1 to 1000',
  CN_DEAD_LETTER_ID_INVALID: 'a dead letter id is a whole number',
  CN_DEAD_LETTER_NOT_FOUND: 'no dead letter has this id',

  // The Teams bot's messaging endpoint (POST /api/messages).
  CN_TEAMS_ACTIVITY_REFUSED: 'the Bot Framework refused the activity (a missing or invalid token)',
  CN_TEAMS_NOT_LOOPBACK: 'the Teams bot runs without authentication: it takes activities from loopback only',

  // Slack's slash commands and interactivity (POST /slack/events).
  CN_SLACK_SIGNATURE_MISSING:
    'a Slack request lacks its X-Slack-Signature or X-Slack-Request-Timestamp header, or the timestamp is not a whole number',
  CN_SLACK_SIGNATURE_STALE:
    'the X-Slack-Request-Timestamp is more than 5 minutes from now (a replay, or a wrong clock)',
  CN_SLACK_SIGNATURE_INVALID: 'the X-Slack-Signature does not match the body with slack.signingSecret',
  CN_SLACK_BODY_NOT_FORM: 'Slack sends slash commands and interactivity as application/x-www-form-urlencoded',
  CN_SLACK_COMMAND_INVALID:
    'a signed Slack request that is neither a slash command nor an interactivity payload (a field is missing)',
  CN_SLACK_RESPONSE_URL_FAILED:
    "the delayed answer to a slash command could not be posted to its response_url (expired, used up, or Slack's error)",
  CN_CHAT_COMMAND_FAILED:
    'a chat command failed unexpectedly: the person is told to try again, the log has why',

  // Chat commands (`/credo ...` in Slack, `@credo-notify ...` to the Teams bot): the reply's code.
  CN_CHAT_UNKNOWN_COMMAND: 'the chat command is none of subscribe, unsubscribe, list, me, help, status',
  CN_CHAT_USAGE: 'the chat command lacks a part or has one too many (a use case, on or off, the hours)',
  CN_CHAT_UNKNOWN_GROUP:
    'a chat subscription names something that is no group (reviews, tasks, comments, risk, fields) nor event type',
  CN_CHAT_BAD_USE_CASE: 'the use case is neither an id, a Credo AI use-case URL nor `all`',
  CN_CHAT_UNKNOWN_USE_CASE: 'the Credo AI API has no use case of this id',
  CN_CHAT_CREDO_API_FAILED:
    'the Credo AI API could not tell whether the use case exists: nothing was changed',
  CN_CHAT_BAD_QUIET_HOURS: 'quiet hours are not HH:MM-HH:MM followed by an IANA time zone',
  CN_CHAT_BAD_TIME_ZONE: 'the time zone of quiet hours is not an IANA time zone (such as Europe/Berlin)',
  CN_CHAT_NOT_ALLOWED:
    'subscriptions.allow does not list this person: only list, me and help are open to them',
  CN_CHAT_NOT_HERE:
    'the command belongs elsewhere: subscriptions in a channel or group chat, `me` in any conversation',
  CN_CHAT_PLATFORM_NOT_CONFIGURED:
    'the platform the command came from has no bot configured (slack.botToken, the Teams bot): nothing was stored',
  CN_CHAT_NOT_SUBSCRIBED: 'unsubscribe names a use case (or events) this conversation is not subscribed to',
  CN_CHAT_STORE_FAILED: 'the store could not be read or written: nothing was changed, try again',

  // Delivering a message: dead-letter reasons, a retried job's last error, log lines.
  CN_DELIVERY_FAILED: 'a send failed in a way its notifier did not name',
  CN_DESTINATION_GONE: "the job's destination is no longer in the config",
  CN_TEMPLATE_FAILED: 'the template failed on this event, and would fail the same way again',
  CN_QUIET_HOURS_INVALID:
    "a person's own quiet hours are not HH:MM times in an IANA time zone: the config's quietHours apply instead",
  CN_PERSON_UNREACHABLE:
    'a direct message has no one to go to (Teams: the app is not installed for them; Slack: user_not_visible...)',
  CN_RETRIES_EXHAUSTED: 'delivery.maxAttempts attempts failed; the last error follows',
  CN_TOO_OLD: 'another retry would pass the delivery.maxAgeHours age limit; the last error follows',
  CN_SLACK_RATE_LIMITED:
    'Slack throttled the call (429 ratelimited, or rate_limited): retried, after its Retry-After when it gave one',
  CN_SLACK_UNAVAILABLE:
    'Slack failed (5xx) or named a transient error (internal_error, team_added_to_org...): retried',
  CN_SLACK_UNKNOWN_ERROR:
    'Slack answered an error code credo-notify does not know: tried 4 times, then dead-lettered (logged once per code)',
  CN_SLACK_UNREACHABLE: 'no answer from Slack (network error or timeout): retried',
  CN_SLACK_CHANNEL_NOT_FOUND: 'Slack has no such channel, or the app cannot see it (channel_not_found)',
  CN_SLACK_NOT_IN_CHANNEL: 'the Slack app is not a member of the channel (not_in_channel): invite it',
  CN_SLACK_CHANNEL_ARCHIVED: 'the Slack channel is archived',
  CN_SLACK_AUTH_FAILED: 'Slack refused the token (invalid_auth, token_revoked, ...): check slack.botToken',
  CN_SLACK_MISSING_SCOPE: 'the Slack token lacks a scope the call needs (missing_scope)',
  CN_SLACK_WEBHOOK_GONE: 'the Slack incoming webhook is disabled or removed (no_service)',
  CN_SLACK_REQUEST_REJECTED:
    'Slack refused the request for another reason: its error code and what to do follow',
  CN_TEAMS_NOT_ADDED: 'the Teams bot has not been added to the target yet: retried until it is',
  CN_TEAMS_RATE_LIMITED: 'Teams throttled the call (429): retried after its Retry-After',
  CN_TEAMS_PACED:
    "the bot's own calls (replies, install reads) filled the conversation's rate window: the job goes back to the queue until it has room, not counted as an attempt",
  CN_TEAMS_NAMES_UNREAD:
    'Teams did not answer the team or roster reads at install: the channel gets a hash alias until its next activity, and its members wait for an install of their own',
  CN_TEAMS_UNAVAILABLE: 'Teams failed in a way it says to retry (412, 502, 503, 504): retried',
  CN_TEAMS_FAILED: 'Teams failed (500) in a way it says not to retry',
  CN_TEAMS_CONVERSATION_GONE:
    'the bot may not post there any more (removed, blocked, disabled by the admin, or the conversation deleted)',
  CN_TEAMS_UNREACHABLE: 'no answer from Teams (network error or timeout): retried',
  CN_TEAMS_AUTH_FAILED:
    "Teams refused the credentials (401): the bot's teams.appId and password, or the workflow URL",
  CN_TEAMS_TOKEN_REFUSED:
    'Microsoft Entra refused the bot a token: check teams.appId, appPassword, tenantId and appType',
  CN_TEAMS_FORBIDDEN: 'Teams forbids the post (403): the bot was removed, disabled or blocked',
  CN_TEAMS_NOT_FOUND: 'Teams has no such conversation or workflow any more (404)',
  CN_TEAMS_MESSAGE_TOO_LARGE: 'the card is too large for Teams (413)',
  CN_TEAMS_REQUEST_REJECTED: 'Teams refused the request for another reason (4xx): its status and code follow',

  // Enriching a message from the Credo AI API: log lines (messages go out without the names).
  CN_CREDO_API_UNREACHABLE: 'no answer from the Credo AI API (network error or timeout)',
  CN_CREDO_API_FAILED: 'the Credo AI API failed (5xx)',
  CN_CREDO_API_REFUSED: 'the Credo AI API refused the call (4xx): check credo.api.token and credo.api.tenant',
  CN_CREDO_API_UNEXPECTED_ANSWER: 'the Credo AI API answered something credo-notify cannot read',

  // Config and templates: `check`, start-up and reload log lines.
  CN_CONFIG_NOT_FOUND: 'the config file does not exist',
  CN_CONFIG_UNREADABLE: 'the config file cannot be read',
  CN_CONFIG_INVALID: 'the config has problems, each named with its key',
  CN_CONFIG_NEEDS_RESTART: 'a reload asks for a change that only a restart can make',
  CN_TEMPLATE_INVALID: 'a template does not compile, or its output is not a valid message',

  // Starting the server: `serve` refuses in one line, naming the key to change.
  CN_PORT_IN_USE: 'another process listens on server.host:server.port (EADDRINUSE)',
  CN_PORT_NOT_PERMITTED: 'this user may not listen on server.port, a privileged port (EACCES)',
  CN_DATA_FOLDER_UNWRITABLE: "the folder of store.url's SQLite file cannot be created or written",
  CN_STORE_UNREACHABLE:
    'no connection to the PostgreSQL server of store.url: refused, unknown host, timeout, or a user, password or database it refused',
} as const satisfies Record<`CN_${string}`, string>;

export type ErrorCode = keyof typeof ERROR_CODES;

/** An error that names what went wrong with a code, beside its message for people. */
export class CodedError extends Error {
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string, options: { cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.name = 'CodedError';
    this.code = code;
  }
}

/** The code of anything thrown: its own, or CN_INTERNAL for an error nobody named (a bug, a surprise). */
export function codeOf(error: unknown): ErrorCode {
  return error instanceof CodedError ? error.code : 'CN_INTERNAL';
}

/** `CODE: message`: how a dead letter, and a job that will be retried, keep their last error. */
export function describeError(error: unknown): string {
  return `${codeOf(error)}: ${error instanceof Error ? error.message : String(error)}`;
}

/** What every HTTP error answer carries (RFC 6749's token endpoint aside, see oauth-token-route.ts). */
export interface ErrorBody {
  /** `details` adds what a client can act on, such as the fields that failed validation. */
  error: { code: ErrorCode; message: string } & Record<string, unknown>;
}

export function errorBody(
  code: ErrorCode,
  message: string,
  details: Record<string, unknown> = {},
): ErrorBody {
  return { error: { ...details, code, message } };
}

/** A check that said no, with the code and the reason to answer with. */
export interface Refusal {
  ok: false;
  code: ErrorCode;
  reason: string;
  /** Refused for now, unchecked: the caller failed too often and may try again after this (429). */
  retryAfterSeconds?: number;
}
