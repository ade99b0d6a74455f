import type { Clock } from '../clock.js';
import type { Config } from '../config/schema.js';
import type { ErrorCode, Refusal } from '../errors.js';

/**
 * Bearer tokens for Credo AI's `o_auth` method: Credo AI trades its configured payload for a token
 * (at our /oauth/token, or at an external server) and sends it on each delivery. Our own tokens
 * are HS256 JWTs; an external issuer's are checked against its JWKS.
 */

export type OAuthConfig = NonNullable<Config['credo']['auth']['oauth']>;

export type BearerVerification = { ok: true } | Refusal;

/** Takes the Authorization header as received. */
export type BearerVerifier = (authorization: string | undefined) => Promise<BearerVerification>;

const OWN_ISSUER = 'credo-notify';
const OWN_AUDIENCE = 'credo-notify-webhook';
const OWN_ALGORITHM = 'HS256';
/**
 * What an identity provider may sign with. Anything else (HS256 with a public key as the
 * secret, `none`) is refused before a key is looked at.
 */
const EXTERNAL_ALGORITHMS = ['RS256', 'ES256'];

type Jose = typeof import('jose');
let loading: Promise<Jose> | undefined;
/** Loaded with the first token issued or checked: a server on Svix signatures never needs it. */
const loadJose = (): Promise<Jose> => {
  loading ??= import('jose');
  return loading;
};

export async function issueAccessToken(
  signingKey: string,
  ttlSeconds: number,
  clock: Clock,
): Promise<string> {
  const { SignJWT } = await loadJose();
  const issuedAt = Math.floor(clock.now() / 1000);
  return new SignJWT()
    .setProtectedHeader({ alg: OWN_ALGORITHM, typ: 'JWT' })
    .setIssuer(OWN_ISSUER)
    .setAudience(OWN_AUDIENCE)
    .setIssuedAt(issuedAt)
    .setExpirationTime(issuedAt + ttlSeconds)
    .sign(encodeKey(signingKey));
}

export function createBearerVerifier(oauth: OAuthConfig, clock: Clock): BearerVerifier {
  if (oauth.jwksUrl && (!oauth.issuer || !oauth.audience)) {
    throw new Error('credo.auth.oauth.jwksUrl needs issuer and audience');
  }
  const ownKey = oauth.signingKey ? encodeKey(oauth.signingKey) : undefined;
  const jwksUrl = oauth.jwksUrl ? new URL(oauth.jwksUrl) : undefined;
  let remoteKeys: ReturnType<Jose['createRemoteJWKSet']> | undefined;

  return async (authorization) => {
    const token = bearerToken(authorization);
    if (!token) {
      return { ok: false, code: 'CN_TOKEN_MISSING', reason: 'missing bearer token' };
    }
    const jose = await loadJose();
    const { jwtVerify } = jose;
    // Fetched on first use, then cached and refreshed by jose when an unknown key id turns up.
    if (jwksUrl) remoteKeys ??= jose.createRemoteJWKSet(jwksUrl);
    const algorithm = algorithmOf(jose, token);
    if (!algorithm) {
      return { ok: false, code: 'CN_TOKEN_INVALID', reason: 'invalid token' };
    }
    // `iat` is required so that a token's age can be capped, whatever lifetime `exp` claims.
    const common = { requiredClaims: ['exp', 'iat'], currentDate: new Date(clock.now()) };
    try {
      if (ownKey && algorithm === OWN_ALGORITHM) {
        await jwtVerify(token, ownKey, {
          ...common,
          issuer: OWN_ISSUER,
          audience: OWN_AUDIENCE,
          algorithms: [OWN_ALGORITHM],
          maxTokenAge: oauth.tokenTtlSeconds,
        });
      } else if (remoteKeys && EXTERNAL_ALGORITHMS.includes(algorithm)) {
        await jwtVerify(token, remoteKeys, {
          ...common,
          issuer: oauth.issuer,
          audience: oauth.audience,
          algorithms: EXTERNAL_ALGORITHMS,
          maxTokenAge: oauth.maxTokenAgeSeconds,
        });
      } else {
        return {
          ok: false,
          code: 'CN_TOKEN_INVALID',
          reason: 'token not signed with an accepted algorithm',
        };
      }
      return { ok: true };
    } catch (error) {
      return { ok: false, ...describeFailure(jose, error) };
    }
  };
}

function encodeKey(signingKey: string): Uint8Array {
  return new TextEncoder().encode(signingKey);
}

function bearerToken(authorization: string | undefined): string | undefined {
  return authorization?.match(/^Bearer\s+(\S+)\s*$/i)?.[1];
}

function algorithmOf(jose: Jose, token: string): string | undefined {
  try {
    return jose.decodeProtectedHeader(token).alg;
  } catch {
    return undefined;
  }
}

/** Short reasons, safe to send back: jose's messages name claims, never keys. */
function describeFailure({ errors }: Jose, error: unknown): { code: ErrorCode; reason: string } {
  if (error instanceof errors.JWTExpired) {
    return { code: 'CN_TOKEN_EXPIRED', reason: 'token expired' };
  }
  if (error instanceof errors.JWTClaimValidationFailed) {
    return { code: 'CN_TOKEN_INVALID', reason: `token "${error.claim}" claim rejected` };
  }
  if (error instanceof errors.JWSSignatureVerificationFailed) {
    return { code: 'CN_TOKEN_INVALID', reason: 'invalid token signature' };
  }
  if (error instanceof errors.JWKSNoMatchingKey) {
    return { code: 'CN_TOKEN_INVALID', reason: 'no key of the issuer matches the token' };
  }
  return isIssuerUnreachable(errors, error)
    ? { code: 'CN_TOKEN_ISSUER_UNREACHABLE', reason: 'could not fetch the issuer keys' }
    : { code: 'CN_TOKEN_INVALID', reason: 'invalid token' };
}

/** jose lets fetch errors through and reports a bad JWKS response as a generic or JWKS error. */
function isIssuerUnreachable(errors: Jose['errors'], error: unknown): boolean {
  if (!(error instanceof errors.JOSEError)) {
    return true;
  }
  return (
    error instanceof errors.JWKSTimeout ||
    error instanceof errors.JWKSInvalid ||
    error.code === errors.JOSEError.code
  );
}
