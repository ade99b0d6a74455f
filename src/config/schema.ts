import { z } from 'zod';
import { httpUrl, nonEmpty } from '../fields.js';
import { type Destination, KIND_NAMES, KIND_SETTINGS, kindNamed } from '../notify/kinds.js';
import { canonicalTimeZone, TIME_OF_DAY } from '../time-of-day.js';

/**
 * The config file's shape. Every object is strict: an unknown key is an error (with a
 * did-you-mean hint, see describe-issues.ts), so a typo never silently turns a feature off.
 * The keys of the public example (shared/docs/config.example.yaml) are a contract.
 * Messages for zod's generic issues come from describe-issues.ts; the ones here are specific.
 */

/**
 * `${PORT}` reaches the schema as text: numeric text counts as a number where one belongs.
 * Unlike `z.coerce.number()`, an empty value or `true` stays an error instead of becoming 0 or 1.
 */
function numeric(schema: z.ZodNumber) {
  return z.preprocess(
    (value) => (typeof value === 'string' && /^\s*-?\d+(\.\d+)?\s*$/.test(value) ? Number(value) : value),
    schema,
  );
}

const port = numeric(z.number().int().min(0).max(65535));

/** What a secret must carry to resist guessing: 32 bytes, as a random 256-bit key does. */
const MIN_SECRET_BYTES = 32;
const secret = z
  .string()
  .refine(
    (value) => Buffer.byteLength(value) >= MIN_SECRET_BYTES,
    `must be at least ${MIN_SECRET_BYTES} bytes (e.g. openssl rand -hex 32)`,
  );

/** Loopback names and addresses: the only hosts a plain-http key set or `method: none` may use. */
export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '');
  return bare === 'localhost' || bare === '::1' || /^127\./.test(bare) || /^::ffff:127\./.test(bare);
}

const svixSecret = z
  .string()
  .regex(/^whsec_[A-Za-z0-9+/=]+$/, 'must be a Svix endpoint secret: "whsec_" followed by base64');

const server = z.strictObject({
  host: nonEmpty.default('127.0.0.1'),
  port: port.default(3000),
  webhookPath: z.string().startsWith('/', 'must start with "/"').default('/webhooks/credo'),
  /** Largest accepted delivery body; Credo AI events are a few KiB. */
  bodyLimitBytes: numeric(z.number().int().positive()).default(1024 * 1024),
  /** Longest a client may take to send one whole request, so a slow body cannot hold a socket. */
  requestTimeoutSeconds: numeric(z.number().positive()).default(30),
  /** Longest a connection may stay silent before it is closed. */
  connectionTimeoutSeconds: numeric(z.number().positive()).default(10),
  /** Connections open at once; past it, new ones are closed at once. */
  maxConnections: numeric(z.number().int().positive()).default(1024),
});

const store = z.strictObject({
  url: z
    .string()
    .regex(/^(sqlite:|postgres(ql)?:\/\/)/, 'must start with "sqlite:" or "postgres://"')
    .default('sqlite:./data/credo-notify.db'),
  /** How long delivery ids are kept for dedupe: Svix retries for about 28 hours. */
  retentionHours: numeric(z.number().min(72, 'must be at least 72 (Svix retries for ~28 h)')).default(168),
});

const oauth = z.strictObject({
  /** What Credo AI posts to /oauth/token (`authentication_payload`), compared in constant time. */
  payload: z.record(z.string(), z.string()).optional(),
  payloadType: z.enum(['application/json', 'application/x-www-form-urlencoded']).default('application/json'),
  /** Standard client_credentials pair, accepted too. */
  clientId: z.string().optional(),
  clientSecret: secret.optional(),
  /** HMAC key for the tokens this server issues. */
  signingKey: secret.optional(),
  tokenTtlSeconds: numeric(z.number().int().positive()).default(300),
  /**
   * Tokens from an external issuer. Plain http only on loopback (tests): keys fetched in clear
   * could be swapped on the way.
   */
  jwksUrl: httpUrl
    .refine(
      (url) => url.startsWith('https:') || isLoopbackHost(new URL(url).hostname),
      'must be an https URL (http only for a loopback address)',
    )
    .optional(),
  issuer: nonEmpty.optional(),
  audience: nonEmpty.optional(),
  /** An external token older than this (by its `iat`) is refused, whatever its `exp` says. */
  maxTokenAgeSeconds: numeric(z.number().int().positive()).default(7200),
});

const auth = z
  .strictObject({
    method: z.enum(['svix', 'oauth', 'none']).default('svix'),
    secrets: z.array(svixSecret).default([]),
    toleranceSeconds: numeric(z.number().int().positive()).default(300),
    oauth: oauth.optional(),
  })
  .superRefine((a, ctx) => {
    if (a.method === 'svix' && a.secrets.length === 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['secrets'],
        message: 'method svix needs at least one secret (whsec_...)',
      });
    }
    if (a.method === 'oauth' && !a.oauth?.jwksUrl && !a.oauth?.signingKey) {
      ctx.addIssue({
        code: 'custom',
        path: ['oauth'],
        message: 'method oauth needs oauth.signingKey (to issue tokens) or oauth.jwksUrl',
      });
    }
    if (a.method === 'oauth' && a.oauth?.jwksUrl && (!a.oauth.issuer || !a.oauth.audience)) {
      // A shared identity provider signs tokens for every app it serves: only these claims tell ours.
      ctx.addIssue({
        code: 'custom',
        path: ['oauth'],
        message: 'oauth.jwksUrl needs oauth.issuer and oauth.audience, or tokens for other apps would pass',
      });
    }
    if (a.method === 'oauth' && a.oauth?.payload && !hasSecretField(a.oauth.payload)) {
      ctx.addIssue({
        code: 'custom',
        path: ['oauth', 'payload'],
        message: `needs a field of at least ${MIN_SECRET_BYTES} bytes: the payload is what a token is traded for`,
      });
    }
    if (a.method === 'oauth' && a.oauth?.signingKey && !a.oauth.payload && !a.oauth.clientSecret) {
      ctx.addIssue({
        code: 'custom',
        path: ['oauth'],
        message: 'to issue tokens, set oauth.payload or oauth.clientId/clientSecret',
      });
    }
  });

const credo = z.strictObject({
  // prefault, not default: an absent auth goes through the checks above and asks for a secret.
  auth: auth.prefault({}),
  eventTypePrefix: z.string().default(''),
  eventTypeSuffix: z.string().default(''),
  appUrl: httpUrl.default('https://app.credo.ai'),
  api: z
    .strictObject({
      url: httpUrl.default('https://api.credo.ai'),
      tenant: nonEmpty,
      token: nonEmpty,
    })
    .optional(),
});

const slack = z.strictObject({
  botToken: nonEmpty,
  apiUrl: httpUrl.default('https://slack.com/api/'),
  /**
   * The app's Signing Secret (Basic Information page): with it, `POST /slack/events` takes the
   * `/credo` slash command and interactivity, and checks Slack signed each request. Off while
   * unset or empty, as the example config leaves it.
   */
  signingSecret: z.string().optional(),
});

/**
 * Where the Bot Framework SDK authenticates: Microsoft's by default. Tests point them at fakes on
 * loopback; nobody else needs to set them.
 */
const teamsEndpoints = z.strictObject({
  /** The Entra authority base; the token endpoint is `{login}/{tenant}/oauth2/v2.0/token`. */
  login: httpUrl.default('https://login.microsoftonline.com'),
  /** Signing keys of the JWTs Teams sends the bot. */
  openIdMetadata: httpUrl.default('https://login.botframework.com/v1/.well-known/openidconfiguration'),
  tokenIssuer: nonEmpty.default('https://api.botframework.com'),
});

const teams = z.strictObject({
  appId: z.string().default(''),
  appPassword: z.string().default(''),
  tenantId: z.string().default(''),
  /** New Azure Bot registrations are single-tenant (multi-tenant creation ended in July 2025). */
  appType: z.enum(['SingleTenant', 'MultiTenant']).default('SingleTenant'),
  /** With no appId, anyone may post activities: refused unless asked for, and then loopback only. */
  allowUnauthenticated: z.boolean().default(false),
  /** Tenants whose activities the bot takes; empty: the bot's own `tenantId`. */
  allowedTenants: z.array(nonEmpty).default([]),
  /** Hosts a `serviceUrl` may name beyond Microsoft's (tests' fakes). */
  serviceUrlHosts: z.array(nonEmpty).default([]),
  endpoints: teamsEndpoints.prefault({}),
});

/**
 * A destination names exactly one kind (notify/kinds.ts), with that kind's settings. One object
 * with every kind optional rather than a union: a typo in a kind then gets a did-you-mean, and a
 * wrong setting is reported at its own path instead of as "Invalid input".
 */
const destination = z
  .strictObject(KIND_SETTINGS)
  .partial()
  .superRefine((settings, ctx) => {
    const kinds = KIND_NAMES.filter((kind) => settings[kind] !== undefined);
    if (kinds.length !== 1) {
      const found = kinds.length === 0 ? '' : `; found ${kinds.join(' and ')}`;
      ctx.addIssue({
        code: 'custom',
        message: `expected exactly one of ${KIND_NAMES.join(', ')}${found}`,
      });
    }
  })
  // Safe once the check above passed: exactly one kind is set.
  .transform((settings) => settings as Destination);

/** A digest window: at least 10 s (shorter is no digest), at most a day (longer holds news too long). */
const DIGEST_WINDOW_SECONDS = { min: 10, max: 86_400 };

/**
 * `digest` on a route (issue 18): the first event of a key quiet for a window goes at once, the
 * events of that key that follow within the window go together as one message when it closes.
 */
const digest = z.strictObject({
  windowSeconds: numeric(
    z
      .number()
      .int()
      .min(DIGEST_WINDOW_SECONDS.min, `must be at least ${DIGEST_WINDOW_SECONDS.min} (seconds)`)
      .max(DIGEST_WINDOW_SECONDS.max, `must be at most ${DIGEST_WINDOW_SECONDS.max} (24 hours, in seconds)`),
  ),
  /** What a digest gathers: one use case's events, one review's, or all the destination's. */
  by: z.enum(['useCase', 'review', 'destination']).default('useCase'),
});

const timeOfDay = z.string().regex(TIME_OF_DAY, 'must be a time of day as HH:MM, e.g. 19:00');
const timeZone = z
  .string()
  .refine((zone) => canonicalTimeZone(zone) !== undefined, 'must be an IANA time zone such as Europe/Berlin');

/**
 * Quiet hours for direct messages (issue 18): a DM due between `from` and `to` in `timezone` (and
 * all weekend with `weekends`) is held until they end, then sent with the others as one digest.
 * `urgent` lists the reasons that still go at once; none by default.
 */
const quietHours = z.strictObject({
  from: timeOfDay,
  to: timeOfDay,
  timezone: timeZone,
  weekends: z.boolean().default(false),
  urgent: z.array(z.enum(['tagged', 'assigned'])).default([]),
});

const scalar = z.union([z.string(), z.number(), z.boolean(), z.null()]);

const route = z.strictObject({
  name: z.string().optional(),
  match: z
    .strictObject({
      events: z.array(nonEmpty).min(1, 'must list at least one event name or glob').default(['*']),
      where: z
        .record(
          z.string(),
          z
            .union([scalar, z.array(scalar)], {
              error: 'expected a value (text, number, true/false) or a list of values',
            })
            .transform(toArray),
        )
        .optional(),
      useCases: z.array(nonEmpty).optional(),
    })
    .prefault({}),
  to: z.array(nonEmpty).min(1, 'must name at least one destination'),
  thread: z.enum(['review', 'useCase', 'none']).default('none'),
  continue: z.boolean().default(false),
  digest: digest.optional(),
  template: z
    .string()
    .regex(/^[a-z0-9][a-z0-9_.-]*$/i, 'must be a template file name without extension')
    .optional(),
});

const mentions = z.strictObject({
  directMessages: z
    .strictObject({
      taggedUsers: z.boolean().default(true),
      taskAssignees: z.boolean().default(true),
      quietHours: quietHours.optional(),
    })
    .prefault({}),
  /** Credo AI user id or email -> chat user ids, for people the chat platform cannot find. */
  users: z
    .record(z.string(), z.strictObject({ slack: z.string().optional(), teams: z.string().optional() }))
    .default({}),
  /** How long a looked-up identity (found or not) is trusted. */
  cacheTtlHours: numeric(z.number().positive()).default(24),
  /**
   * The most people one event names: looked up, mentioned and sent direct messages. Mentions
   * past it are shown as plain names. A comment is written by any Credo AI user, and can hold
   * thousands of mentions (issue 14).
   */
  maxPerEvent: numeric(z.number().int().positive()).default(50),
});

const templates = z.strictObject({
  dir: z.string().optional(),
  timezone: z.string().default('UTC').refine(isTimeZone, 'must be an IANA time zone such as Europe/Paris'),
});

const delivery = z.strictObject({
  /** Retries stop at whichever limit comes first; the job is then dead-lettered. */
  maxAttempts: numeric(z.number().int().positive()).default(15),
  maxAgeHours: numeric(z.number().positive()).default(24),
  /**
   * How long a claimed job is one instance's alone without a sign of life. The instance renews it
   * every third of this while the send runs; if it dies, another takes the job over after this.
   */
  leaseSeconds: numeric(z.number().min(15, 'must be at least 15 (sends time out at 10 s)')).default(15),
});

/**
 * Subscriptions made from the chat (`/credo subscribe`, `@credo-notify subscribe`). `allow`:
 * who may change a conversation's: `members` (anyone in it; the bot had to be invited), or
 * Slack user ids, Entra object ids and emails. `defaults`: how their messages are sent, as a
 * route's `thread`, `template` and `digest` would say.
 */
const subscriptions = z.strictObject({
  allow: z
    .union(
      [z.literal('members'), z.array(nonEmpty).min(1, 'must list at least one person, or be "members"')],
      {
        error: 'expected "members" or a list of Slack user ids, Entra object ids and emails',
      },
    )
    .default('members'),
  defaults: z
    .strictObject({
      thread: z.enum(['review', 'useCase', 'none']).default('none'),
      template: z
        .string()
        .regex(/^[a-z0-9][a-z0-9_.-]*$/i, 'must be a template file name without extension')
        .optional(),
      digest: digest.optional(),
    })
    .prefault({}),
});

/** The admin HTTP API (/admin): off while `token` is unset or empty. */
const admin = z.strictObject({
  token: z
    .string()
    .refine(
      (token) => token === '' || Buffer.byteLength(token) >= MIN_SECRET_BYTES,
      `must be at least ${MIN_SECRET_BYTES} bytes, or empty to turn the admin API off`,
    )
    .optional(),
});

export const configSchema = z
  .strictObject({
    server: server.prefault({}),
    store: store.prefault({}),
    credo: credo,
    slack: slack.optional(),
    teams: teams.optional(),
    destinations: z.record(
      z.string().regex(/^[A-Za-z0-9_.-]+$/, 'destination names use letters, digits, "-", "_" and "."'),
      destination,
    ),
    routes: z.array(route).default([]),
    mentions: mentions.prefault({}),
    templates: templates.prefault({}),
    delivery: delivery.prefault({}),
    subscriptions: subscriptions.prefault({}),
    admin: admin.optional(),
  })
  // Runs even when other parts failed, so that every problem is reported in one go.
  .superRefine(checkCrossReferences, { when: () => true });

export type Config = z.infer<typeof configSchema>;
export type Route = Config['routes'][number];
export type DigestSettings = NonNullable<Route['digest']>;
export type QuietHours = NonNullable<Config['mentions']['directMessages']['quietHours']>;

/**
 * Checks between sections: route targets exist, and a destination's platform is configured.
 * The value may be partly invalid here (see `when` above): look before touching.
 */
function checkCrossReferences(config: unknown, ctx: z.RefinementCtx): void {
  if (!isMapping(config)) return;
  const destinations = isMapping(config.destinations) ? config.destinations : {};
  const names = Object.keys(destinations);
  const routes = Array.isArray(config.routes) ? config.routes : [];
  routes.forEach((route: unknown, i) => {
    const targets = isMapping(route) && Array.isArray(route.to) ? route.to : [];
    targets.forEach((name: unknown, j) => {
      if (typeof name === 'string' && !names.includes(name)) {
        ctx.addIssue({
          code: 'custom',
          path: ['routes', i, 'to', j],
          message: `unknown destination "${name}"; expected one of: ${names.join(', ') || '(none defined)'}`,
        });
      }
    });
  });
  checkUnauthenticatedIsLocal(config, ctx);
  if (usesBot(destinations, 'slack') && config.slack === undefined) {
    ctx.addIssue({ code: 'custom', path: ['slack'], message: 'a slack destination needs slack.botToken' });
  }
  checkTeamsCredentials(config, destinations, ctx);
}

/**
 * A bot without an app id accepts activities from anyone, so it runs only when asked for; and a
 * single-tenant app id gets no token without its tenant (AADSTS700016 on every send).
 */
function checkTeamsCredentials(
  config: Record<string, unknown>,
  destinations: Record<string, unknown>,
  ctx: z.RefinementCtx,
): void {
  const teams = isMapping(config.teams) ? config.teams : undefined;
  const appId = typeof teams?.appId === 'string' ? teams.appId : '';
  if ((usesBot(destinations, 'teams') || teams) && appId === '' && teams?.allowUnauthenticated !== true) {
    ctx.addIssue({
      code: 'custom',
      path: teams ? ['teams', 'appId'] : ['teams'],
      message:
        'a teams destination needs teams.appId, appPassword and tenantId (an Azure Bot registration), ' +
        'or teams.allowUnauthenticated: true for a local trial (loopback callers only)',
    });
  }
  const singleTenant = (teams?.appType ?? 'SingleTenant') === 'SingleTenant';
  if (appId !== '' && singleTenant && !teams?.tenantId) {
    ctx.addIssue({
      code: 'custom',
      path: ['teams', 'tenantId'],
      message:
        'a SingleTenant bot needs teams.tenantId (its Entra tenant), or set teams.appType: MultiTenant',
    });
  }
}

/**
 * `method: none` trusts the caller's address, which only means something when no one else can
 * connect: the server must listen on loopback.
 */
function checkUnauthenticatedIsLocal(config: Record<string, unknown>, ctx: z.RefinementCtx): void {
  const auth = isMapping(config.credo) && isMapping(config.credo.auth) ? config.credo.auth : {};
  const host = isMapping(config.server) ? config.server.host : undefined;
  if (auth.method === 'none' && typeof host === 'string' && !isLoopbackHost(host)) {
    ctx.addIssue({
      code: 'custom',
      path: ['server', 'host'],
      message: `credo.auth.method "none" needs a loopback host (127.0.0.1 or ::1), not "${host}"`,
    });
  }
}

/** Whether a destination of the (maybe partly invalid) config is sent through `platform`'s bot. */
function usesBot(destinations: Record<string, unknown>, platform: 'slack' | 'teams'): boolean {
  return Object.values(destinations).some(
    (d) => isMapping(d) && Object.keys(d).some((kind) => kindNamed(kind)?.bot === platform),
  );
}

function hasSecretField(payload: Record<string, string>): boolean {
  return Object.values(payload).some((value) => Buffer.byteLength(value) >= MIN_SECRET_BYTES);
}

function isMapping(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function toArray<T>(v: T | T[]): T[] {
  return Array.isArray(v) ? v : [v];
}

function isTimeZone(zone: string): boolean {
  return canonicalTimeZone(zone) !== undefined;
}
