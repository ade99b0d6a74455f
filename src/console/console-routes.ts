import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { sameSecret } from '../admin/bearer-check.js';
import { assets } from './assets.js';
import type { ConsoleOptions } from './console-deps.js';
import { deadLetterRoutes } from './dead-letters-page.js';
import { deliveryRoutes } from './deliveries.js';
import { galleryRoutes } from './gallery.js';
import { type Html, html } from './html.js';
import { CONSOLE_PREFIX, page } from './layout.js';
import { formOf, type PageContext, sendHtml } from './page-context.js';
import { routeTesterRoutes } from './route-tester.js';
import {
  cookieHeader,
  newSessionCookie,
  newSignInNonce,
  parseCookies,
  readSession,
  SESSION_COOKIE,
  SESSION_MS,
  type Session,
  SIGN_IN_COOKIE,
} from './session.js';
import { statusRoutes } from './status.js';
import { subscriptionRoutes } from './subscriptions-page.js';

const FORM_LIMIT_BYTES = 1024 * 1024;
const SIGN_IN_MS = 30 * 60_000;

/**
 * Everything is served as text/html from here, and nothing may run but our own files: event
 * text that slipped through escaping still could not execute.
 */
const SECURITY_HEADERS = {
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data: https:; connect-src 'self'; " +
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'same-origin',
  'x-frame-options': 'DENY',
};

/**
 * The operator console under /console: sign-in with `admin.token`, then the pages. Off, and
 * answering as a path that does not exist, while the config has no `admin.token`.
 */
export function consoleRoutes(options: ConsoleOptions) {
  return async (app: FastifyInstance): Promise<void> => {
    await app.register(
      async (scope) => {
        scope.addHook('onRequest', async (_request, reply) => {
          if (!options.token()) return reply.callNotFound();
          reply.headers(SECURITY_HEADERS);
        });
        scope.addContentTypeParser(
          'application/x-www-form-urlencoded',
          { parseAs: 'string', bodyLimit: FORM_LIMIT_BYTES },
          (_request, body, done) => done(null, Object.fromEntries(new URLSearchParams(body as string))),
        );
        assetRoute(scope);
        signInRoutes(scope, options);
        await scope.register(async (signedIn) => pages(signedIn, options));
      },
      { prefix: CONSOLE_PREFIX },
    );
  };
}

function assetRoute(scope: FastifyInstance) {
  scope.get<{ Params: { hash: string; name: string } }>('/assets/:hash/:name', async (request, reply) => {
    const asset = assets().get(request.params.name);
    if (!asset || asset.hash !== request.params.hash) return reply.callNotFound();
    const gzip = /\bgzip\b/.test(String(request.headers['accept-encoding'] ?? ''));
    reply
      .type(asset.type)
      .header('cache-control', 'public, max-age=31536000, immutable')
      .header('vary', 'accept-encoding');
    if (gzip) reply.header('content-encoding', 'gzip');
    return reply.send(gzip ? asset.gzipped : asset.body);
  });
}

function signInRoutes(scope: FastifyInstance, options: ConsoleOptions) {
  scope.get('/sign-in', async (request, reply) => {
    const nonce = newSignInNonce();
    reply.header('set-cookie', signInCookie(request, nonce, SIGN_IN_MS / 1000));
    return sendHtml(reply, 200, signInPage(nonce));
  });

  scope.post<{ Body: Record<string, string> }>('/sign-in', async (request, reply) => {
    // Guessing the token costs a minute per 20 tries, as on /admin (docs/security.md).
    const retryAfter = options.failedAuth.retryAfterSeconds(request.ip);
    if (retryAfter > 0) {
      reply.header('retry-after', String(retryAfter));
      return sendHtml(reply, 429, signInPage(newSignInNonce(), 'Too many wrong tokens: try again later.'));
    }
    const token = options.token() ?? '';
    const nonce = parseCookies(request.headers.cookie).get(SIGN_IN_COOKIE) ?? '';
    const form = formOf(request);
    // A sign-in form posted from another site carries no nonce cookie (SameSite=Strict).
    if (nonce === '' || !sameSecret(form._csrf ?? '', nonce)) {
      return sendHtml(
        reply,
        403,
        signInPage(nonce || newSignInNonce(), 'The sign-in form expired: try again.'),
      );
    }
    if (!sameSecret(form.token ?? '', token)) {
      options.failedAuth.failed(request.ip);
      return sendHtml(reply, 401, signInPage(nonce, 'Wrong token.'));
    }
    reply.header('set-cookie', [
      sessionCookie(request, newSessionCookie(token, options.now()), SESSION_MS / 1000),
      signInCookie(request, '', 0),
    ]);
    return reply.redirect(`${CONSOLE_PREFIX}/deliveries`, 303);
  });
}

function pages(scope: FastifyInstance, options: ConsoleOptions) {
  const sessions = new WeakMap<FastifyRequest, Session>();
  scope.addHook('preHandler', async (request, reply) => {
    const session = readSession(
      parseCookies(request.headers.cookie).get(SESSION_COOKIE),
      options.token() ?? '',
      options.now(),
    );
    if (!session) return signInAgain(request, reply);
    if (!['GET', 'HEAD'].includes(request.method) && !hasCsrfToken(request, session)) {
      return reply
        .code(403)
        .type('text/plain; charset=utf-8')
        .send('CSRF token missing or wrong: reload the page.');
    }
    sessions.set(request, session);
  });
  const context: PageContext = {
    options,
    session(request) {
      const session = sessions.get(request);
      if (!session) throw new Error('no session for this request');
      return session;
    },
  };

  scope.get('/', async (_request, reply) => reply.redirect(`${CONSOLE_PREFIX}/deliveries`, 303));
  scope.post('/sign-out', async (request, reply) => {
    reply.header('set-cookie', sessionCookie(request, '', 0));
    return reply.redirect(`${CONSOLE_PREFIX}/sign-in`, 303);
  });
  deliveryRoutes(scope, context);
  deadLetterRoutes(scope, context);
  subscriptionRoutes(scope, context);
  routeTesterRoutes(scope, context);
  galleryRoutes(scope, context);
  statusRoutes(scope, context);
}

/** A page asks the browser to go to sign-in; an htmx request asks htmx to (HX-Redirect). */
function signInAgain(request: FastifyRequest, reply: FastifyReply) {
  const target = `${CONSOLE_PREFIX}/sign-in`;
  if (request.headers['hx-request'] === 'true') return reply.code(401).header('hx-redirect', target).send();
  if (request.method === 'GET') return reply.redirect(target, 303);
  return reply.code(401).type('text/plain; charset=utf-8').send('Signed out: sign in again.');
}

function hasCsrfToken(request: FastifyRequest, session: Session): boolean {
  const header = request.headers['x-csrf-token'];
  const given = typeof header === 'string' ? header : (formOf(request)._csrf ?? '');
  return sameSecret(given, session.csrfToken);
}

function isHttps(request: FastifyRequest): boolean {
  return request.protocol === 'https' || request.headers['x-forwarded-proto'] === 'https';
}

function sessionCookie(request: FastifyRequest, value: string, maxAgeSeconds: number): string {
  return cookieHeader(SESSION_COOKIE, value, {
    path: CONSOLE_PREFIX,
    maxAgeSeconds,
    secure: isHttps(request),
  });
}

function signInCookie(request: FastifyRequest, value: string, maxAgeSeconds: number): string {
  return cookieHeader(SIGN_IN_COOKIE, value, {
    path: `${CONSOLE_PREFIX}/sign-in`,
    maxAgeSeconds,
    secure: isHttps(request),
  });
}

function signInPage(nonce: string, problem?: string): Html {
  return page({
    title: 'Sign in',
    body: html`<form method="post" action="${CONSOLE_PREFIX}/sign-in" class="sign-in">
<p>Sign in with the server's <code>admin.token</code>.</p>
${problem ? html`<p class="problem" role="alert">${problem}</p>` : ''}
<input type="hidden" name="_csrf" value="${nonce}">
<label>Admin token <input type="password" name="token" autocomplete="current-password" required autofocus></label>
<button type="submit">Sign in</button>
</form>`,
  });
}
