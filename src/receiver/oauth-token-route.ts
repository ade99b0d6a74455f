import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { Clock } from '../clock.js';
import type { ErrorCode } from '../errors.js';
import { type FailedAuthLimit, refuseIfLimited } from '../http/failed-auth-limit.js';
import { issueAccessToken, type OAuthConfig } from './oauth.js';

export const OAUTH_TOKEN_PATH = '/oauth/token';

/** A token request is a handful of short fields. */
const BODY_LIMIT_BYTES = 16 * 1024;

type Fields = Record<string, string>;

/**
 * POST /oauth/token: trades Credo AI's `authentication_payload`, or a standard client_credentials
 * pair (in the body or as HTTP Basic), for a short-lived bearer token. Its body parsers live in
 * their own plugin scope, so they never reach the webhook route, which must see raw bytes.
 */
export async function registerOAuthTokenRoute(
  app: FastifyInstance,
  oauth: OAuthConfig,
  deps: { clock: Clock; failedAuth: FailedAuthLimit },
): Promise<void> {
  const { clock, failedAuth } = deps;
  const { signingKey } = oauth;
  if (!signingKey) {
    throw new Error('the token endpoint needs credo.auth.oauth.signingKey');
  }
  const isAuthorized = createClientCheck(oauth);

  await app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser(
      'application/json',
      { parseAs: 'string' },
      scope.getDefaultJsonParser('error', 'error'),
    );
    scope.addContentTypeParser(
      'application/x-www-form-urlencoded',
      { parseAs: 'string' },
      (_request, body, done) => done(null, Object.fromEntries(new URLSearchParams(body as string))),
    );

    scope.post(OAUTH_TOKEN_PATH, { bodyLimit: BODY_LIMIT_BYTES }, async (request, reply) => {
      if (refuseIfLimited(failedAuth, request.ip, reply)) return reply;
      const fields = textFields(request.body);
      const verdict = isAuthorized(fields, request.headers.authorization, mediaType(request.headers));
      if (verdict !== 'ok') {
        const refusal = REFUSALS[verdict];
        request.log.warn({ code: refusal.code, error: refusal.description }, 'token request refused');
        if (verdict === 'invalid_client') {
          failedAuth.failed(request.ip);
          reply.header('www-authenticate', 'Basic realm="credo-notify"');
        }
        // RFC 6749 section 5.2 fixes this body for OAuth clients: `error` is its own code, a string.
        return reply.code(refusal.status).send({ error: verdict, error_description: refusal.description });
      }
      const accessToken = await issueAccessToken(signingKey, oauth.tokenTtlSeconds, clock);
      return reply.header('cache-control', 'no-store').send({
        access_token: accessToken,
        token_type: 'Bearer',
        expires_in: oauth.tokenTtlSeconds,
      });
    });
  });
}

type Verdict = 'ok' | 'invalid_client' | 'unsupported_grant_type';

const REFUSALS: Record<Exclude<Verdict, 'ok'>, { status: number; code: ErrorCode; description: string }> = {
  invalid_client: {
    status: 401,
    code: 'CN_OAUTH_INVALID_CLIENT',
    description: 'neither the authentication payload nor the client credentials match the configured ones',
  },
  unsupported_grant_type: {
    status: 400,
    code: 'CN_OAUTH_UNSUPPORTED_GRANT_TYPE',
    description: 'only the client_credentials grant is supported',
  },
};

type ClientCheck = (fields: Fields, authorization: string | undefined, mediaType: string) => Verdict;

function createClientCheck(oauth: OAuthConfig): ClientCheck {
  const payload = Object.entries(oauth.payload ?? {});
  return (fields, authorization, mediaType) => {
    // Only client credentials are traded: a `password` grant would make this a login endpoint.
    if (fields.grant_type !== undefined && fields.grant_type !== 'client_credentials') {
      return 'unsupported_grant_type';
    }
    // An empty payload would match any request: it counts as not configured. Credo AI sends it
    // as `authentication_payload_type` says, so it counts only in that type.
    const payloadMatches =
      payload.length > 0 &&
      mediaType === oauth.payloadType &&
      allEqual(payload.map(([name, expected]) => [fields[name], expected]));
    if (payloadMatches) {
      return 'ok';
    }
    if (!oauth.clientSecret) {
      return 'invalid_client';
    }
    const client = basicCredentials(authorization) ?? { id: fields.client_id, secret: fields.client_secret };
    const pairs: Array<[string | undefined, string]> = [[client.secret, oauth.clientSecret]];
    if (oauth.clientId !== undefined) {
      pairs.push([client.id, oauth.clientId]);
    }
    return allEqual(pairs) ? 'ok' : 'invalid_client';
  };
}

/** Compares every pair, in time that depends on neither the values nor their lengths. */
function allEqual(pairs: Array<[string | undefined, string]>): boolean {
  return pairs
    .map(([given, expected]) => given !== undefined && digestsEqual(given, expected))
    .every(Boolean);
}

function digestsEqual(given: string, expected: string): boolean {
  return timingSafeEqual(digest(given), digest(expected));
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

/** `Authorization: Basic base64(id:secret)`, each part form-encoded as RFC 6749 asks. */
function basicCredentials(authorization: string | undefined): { id: string; secret: string } | undefined {
  const encoded = authorization?.match(/^Basic\s+(\S+)\s*$/i)?.[1];
  if (!encoded) {
    return undefined;
  }
  const decoded = Buffer.from(encoded, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) {
    return undefined;
  }
  return { id: formDecode(decoded.slice(0, colon)), secret: formDecode(decoded.slice(colon + 1)) };
}

function formDecode(value: string): string {
  try {
    return decodeURIComponent(value.replaceAll('+', ' '));
  } catch {
    return value;
  }
}

/** `application/json; charset=utf-8` -> `application/json`. */
function mediaType(headers: { 'content-type'?: string }): string {
  return (headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
}

/** The body's scalar fields as text, whether it came as JSON or as a form. */
function textFields(body: unknown): Fields {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return {};
  }
  return Object.fromEntries(
    Object.entries(body).flatMap(([name, value]) =>
      ['string', 'number', 'boolean'].includes(typeof value) ? [[name, String(value)]] : [],
    ),
  );
}
