import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * Whether an `Authorization` header carries `Bearer <expected>`. Both sides are hashed before the
 * constant-time comparison, so the time taken tells nothing of the token, not even its length.
 */
export function hasBearerToken(authorization: string | undefined, expected: string): boolean {
  const given = authorization?.match(/^Bearer\s+(\S+)\s*$/i)?.[1] ?? '';
  return sameSecret(given, expected);
}

/** Whether two secrets are equal, in time that tells nothing of either (hashed first: any length). */
export function sameSecret(given: string, expected: string): boolean {
  return timingSafeEqual(sha256(given), sha256(expected));
}

function sha256(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}
