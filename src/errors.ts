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
  CN_BODY_INVALID_JSON: 'the body is not valid JSON',
  CN_BODY_TOO_DEEP: 'the JSON nests deeper than any event does (64 levels)',
  CN_BODY_TOO_LARGE: 'the body is larger than server.bodyLimitBytes',
  CN_BODY_NOT_JSON: 'the content type is not application/json',
  CN_ENVELOPE_INVALID: 'the JSON is not a Credo AI event envelope (`type` and `data`)',
  CN_EVENT_INVALID: "the event's data does not match the schema of its type",
  CN_STORE_UNAVAILABLE: 'the store could not be written: nothing was stored, send it again later',

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
}
