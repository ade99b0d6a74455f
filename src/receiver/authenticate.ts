import type { FastifyInstance } from 'fastify';
import type { Clock } from '../clock.js';
import type { Config } from '../config/schema.js';
import type { Refusal } from '../errors.js';
import type { FailedAuthLimit } from '../http/failed-auth-limit.js';
import type { Logger } from '../log.js';
import { createBearerVerifier } from './oauth.js';
import { registerOAuthTokenRoute } from './oauth-token-route.js';
import { createSvixVerifier } from './svix-signature.js';

/** A refusal with `retryAfterSeconds`: the caller failed too often and is refused for now (429), unchecked. */
export type AuthResult = { ok: true } | Refusal;

export interface AuthRequest {
  headers: Record<string, string | string[] | undefined>;
  body: string;
  ip: string;
}

export type Authenticate = (request: AuthRequest) => Promise<AuthResult>;

export interface Authentication {
  authenticate: Authenticate;
  /** Routes the method needs on the server (the OAuth token endpoint). */
  plugins: Array<(app: FastifyInstance) => Promise<void>>;
}

type AuthConfig = Config['credo']['auth'];

/** The check every delivery passes before anything is parsed or stored, per `credo.auth.method`. */
export interface AuthenticationDeps {
  clock: Clock;
  log: Logger;
  /** Failed bearer checks, counted per client address with the other routes' failures. */
  failedAuth: FailedAuthLimit;
}

export function createAuthentication(auth: AuthConfig, deps: AuthenticationDeps): Authentication {
  switch (auth.method) {
    case 'svix': {
      const verify = createSvixVerifier(auth.secrets, auth.toleranceSeconds);
      return {
        plugins: [],
        authenticate: async ({ headers, body }) => verify(headers, body, deps.clock.now()),
      };
    }
    case 'oauth': {
      const oauth = auth.oauth;
      if (!oauth) throw new Error('credo.auth.oauth is required for method oauth');
      const verify = createBearerVerifier(oauth, deps.clock);
      return {
        plugins: oauth.signingKey
          ? [
              async (app) =>
                registerOAuthTokenRoute(app, oauth, { clock: deps.clock, failedAuth: deps.failedAuth }),
            ]
          : [],
        authenticate: async ({ headers, ip }) => {
          const retryAfterSeconds = deps.failedAuth.retryAfterSeconds(ip);
          if (retryAfterSeconds > 0)
            return {
              ok: false,
              code: 'CN_TOO_MANY_FAILED_AUTH',
              reason: 'too many failed attempts',
              retryAfterSeconds,
            };
          const verdict = await verify(first(headers.authorization));
          if (!verdict.ok) deps.failedAuth.failed(ip);
          return verdict;
        },
      };
    }
    case 'none':
      deps.log.warn(
        'credo.auth.method is "none": deliveries are not authenticated, and are accepted from this machine (loopback) only',
      );
      return {
        plugins: [],
        authenticate: async ({ ip, headers }) =>
          isLoopbackCaller(ip, headers)
            ? { ok: true }
            : {
                ok: false,
                code: 'CN_NOT_LOOPBACK',
                reason: 'unauthenticated deliveries are accepted from loopback only',
              },
      };
  }
}

/** A caller on this machine, and not a proxy on it forwarding someone else. */
export function isLoopbackCaller(ip: string, headers: AuthRequest['headers']): boolean {
  return isLoopback(ip) && !isForwarded(headers);
}

function isLoopback(ip: string): boolean {
  return ip === '::1' || ip.startsWith('127.') || ip.startsWith('::ffff:127.');
}

/**
 * A reverse proxy on this machine connects from loopback for callers anywhere: a request it
 * forwarded says so in these headers, and then its address proves nothing.
 */
function isForwarded(headers: AuthRequest['headers']): boolean {
  return ['x-forwarded-for', 'x-real-ip', 'forwarded'].some((name) => headers[name] !== undefined);
}

function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
