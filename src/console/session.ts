import { createHmac, randomBytes } from 'node:crypto';
import { sameSecret } from '../admin/bearer-check.js';

/**
 * Console sessions without server-side state, so any instance behind a load balancer can check
 * one: the cookie is `<expiry>.<nonce>.<signature>`, signed with a key derived from
 * `admin.token`. Rotating the token (a reload) ends every session. The CSRF token is a second
 * signature over the nonce: it belongs to one session and cannot be made without the key.
 */

export const SESSION_COOKIE = 'cn_console';
/** Set by the sign-in page and sent back with its form: refuses a sign-in posted from elsewhere. */
export const SIGN_IN_COOKIE = 'cn_console_sign_in';
/** A session lasts a working day, then the operator signs in again. */
export const SESSION_MS = 8 * 3_600_000;

export interface Session {
  expiresAt: number;
  csrfToken: string;
}

export function newSessionCookie(adminToken: string, now: number): string {
  const payload = `${now + SESSION_MS}.${randomBytes(18).toString('base64url')}`;
  return `${payload}.${sign(adminToken, payload)}`;
}

/** The session a cookie stands for, or undefined when it is forged, from another token or expired. */
export function readSession(
  cookie: string | undefined,
  adminToken: string,
  now: number,
): Session | undefined {
  const [expiry, nonce, signature] = (cookie ?? '').split('.');
  if (!expiry || !nonce || !signature) return undefined;
  if (!sameSecret(signature, sign(adminToken, `${expiry}.${nonce}`))) return undefined;
  const expiresAt = Number(expiry);
  if (!(expiresAt > now)) return undefined;
  return { expiresAt, csrfToken: sign(adminToken, `csrf.${nonce}`) };
}

export function newSignInNonce(): string {
  return randomBytes(18).toString('base64url');
}

function sign(adminToken: string, text: string): string {
  const key = createHmac('sha256', adminToken).update('credo-notify console session').digest();
  return createHmac('sha256', key).update(text).digest('base64url');
}

/** `name=value` pairs of a Cookie header. */
export function parseCookies(header: string | undefined): Map<string, string> {
  const cookies = new Map<string, string>();
  for (const part of (header ?? '').split(';')) {
    const at = part.indexOf('=');
    if (at > 0) cookies.set(part.slice(0, at).trim(), decodeURIComponent(part.slice(at + 1).trim()));
  }
  return cookies;
}

/** HttpOnly and SameSite=Strict always; Secure when the page came over HTTPS. */
export function cookieHeader(
  name: string,
  value: string,
  options: { path: string; maxAgeSeconds: number; secure: boolean },
): string {
  const parts = [
    `${name}=${encodeURIComponent(value)}`,
    `Path=${options.path}`,
    `Max-Age=${options.maxAgeSeconds}`,
    'HttpOnly',
    'SameSite=Strict',
  ];
  if (options.secure) parts.push('Secure');
  return parts.join('; ');
}
