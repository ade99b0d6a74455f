import { z } from 'zod';

/**
 * The config file's shape. Every object is strict: an unknown key is an error (with a
 * did-you-mean hint, see errors.ts), so a typo never silently turns a feature off.
 * The keys of the public example (shared/docs/config.example.yaml) are a contract.
 */

const nonEmpty = z.string().trim().min(1, 'must not be empty');
const port = z.coerce.number().int().min(0).max(65535);
const httpUrl = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' });

const svixSecret = z
  .string()
  .regex(/^whsec_[A-Za-z0-9+/=]+$/, 'must be a Svix endpoint secret: "whsec_" followed by base64');

const server = z.strictObject({
  host: nonEmpty.default('127.0.0.1'),
  port: port.default(3000),
  webhookPath: z.string().startsWith('/', 'must start with "/"').default('/webhooks/credo'),
  /** Largest accepted delivery body; Credo AI events are a few KiB. */
  bodyLimitBytes: z.coerce
    .number()
    .int()
    .positive()
    .default(1024 * 1024),
});

const store = z.strictObject({
  url: z
    .string()
    .regex(/^(sqlite:|postgres(ql)?:\/\/)/, 'must start with "sqlite:" or "postgres://"')
    .default('sqlite:./data/credo-notify.db'),
  /** How long delivery ids are kept for dedupe: Svix retries for about 28 hours. */
  retentionHours: z.coerce.number().min(72, 'must be at least 72 (Svix retries for ~28 h)').default(168),
});

const oauth = z.strictObject({
  /** What Credo AI posts to /oauth/token (`authentication_payload`), compared in constant time. */
  payload: z.record(z.string(), z.string()).optional(),
  payloadType: z.enum(['application/json', 'application/x-www-form-urlencoded']).default('application/json'),
  /** Standard client_credentials pair, accepted too. */
  clientId: z.string().optional(),
  clientSecret: z.string().optional(),
  /** HMAC key for the tokens this server issues (32+ characters). */
  signingKey: z.string().min(32, 'must be at least 32 characters').optional(),
  tokenTtlSeconds: z.coerce.number().int().positive().default(300),
  /** Tokens from an external issuer. */
  jwksUrl: httpUrl.optional(),
  issuer: z.string().optional(),
  audience: z.string().optional(),
});

const auth = z
  .strictObject({
    method: z.enum(['svix', 'oauth', 'none']).default('svix'),
    secrets: z.array(svixSecret).default([]),
    toleranceSeconds: z.coerce.number().int().positive().default(300),
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
    if (a.method === 'oauth' && a.oauth?.signingKey && !a.oauth.payload && !a.oauth.clientSecret) {
      ctx.addIssue({
        code: 'custom',
        path: ['oauth'],
        message: 'to issue tokens, set oauth.payload or oauth.clientId/clientSecret',
      });
    }
  });

const credo = z.strictObject({
  auth: auth.default({ method: 'svix', secrets: [], toleranceSeconds: 300 }),
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
});

const teams = z.strictObject({
  appId: z.string().default(''),
  appPassword: z.string().default(''),
  tenantId: z.string().default(''),
});

/** A destination names exactly one kind; its single key says which. */
const destination = z.union([
  z.strictObject({ slack: z.strictObject({ channel: nonEmpty }) }),
  z.strictObject({ slackWebhook: z.strictObject({ url: httpUrl }) }),
  z.strictObject({ teams: z.strictObject({ conversation: nonEmpty }) }),
  z.strictObject({ teamsWorkflow: z.strictObject({ url: httpUrl }) }),
  z.strictObject({ console: z.strictObject({}).default({}) }),
]);

const scalar = z.union([z.string(), z.number(), z.boolean(), z.null()]);

const route = z.strictObject({
  name: z.string().optional(),
  match: z
    .strictObject({
      events: z.array(nonEmpty).min(1).default(['*']),
      where: z.record(z.string(), z.union([scalar, z.array(scalar)]).transform(toArray)).optional(),
      useCases: z.array(nonEmpty).optional(),
    })
    .default({ events: ['*'] }),
  to: z.array(nonEmpty).min(1, 'must name at least one destination'),
  thread: z.enum(['review', 'useCase', 'none']).default('none'),
  continue: z.boolean().default(false),
  template: z
    .string()
    .regex(/^[a-z0-9][a-z0-9_.-]*$/i, 'must be a template file name without extension')
    .optional(),
});

const mentions = z.strictObject({
  directMessages: z
    .strictObject({ taggedUsers: z.boolean().default(true), taskAssignees: z.boolean().default(true) })
    .default({ taggedUsers: true, taskAssignees: true }),
  /** Credo AI user id or email -> chat user ids, for people the chat platform cannot find. */
  users: z
    .record(z.string(), z.strictObject({ slack: z.string().optional(), teams: z.string().optional() }))
    .default({}),
  /** How long a looked-up identity (found or not) is trusted. */
  cacheTtlHours: z.coerce.number().positive().default(24),
});

const templates = z.strictObject({
  dir: z.string().optional(),
  timezone: z.string().default('UTC').refine(isTimeZone, 'must be an IANA time zone such as Europe/Paris'),
});

const delivery = z.strictObject({
  /** Retries stop at whichever limit comes first; the job is then dead-lettered. */
  maxAttempts: z.coerce.number().int().positive().default(15),
  maxAgeHours: z.coerce.number().positive().default(24),
});

export const configSchema = z
  .strictObject({
    server: server.default(server.parse({})),
    store: store.default(store.parse({})),
    credo: credo,
    slack: slack.optional(),
    teams: teams.optional(),
    destinations: z.record(
      z.string().regex(/^[A-Za-z0-9_.-]+$/, 'destination names use letters, digits, "-", "_" and "."'),
      destination,
    ),
    routes: z.array(route).default([]),
    mentions: mentions.default(mentions.parse({})),
    templates: templates.default({ timezone: 'UTC' }),
    delivery: delivery.default(delivery.parse({})),
  })
  .superRefine((c, ctx) => {
    c.routes.forEach((r, i) => {
      r.to.forEach((name, j) => {
        if (!(name in c.destinations)) {
          ctx.addIssue({
            code: 'custom',
            path: ['routes', i, 'to', j],
            message: `unknown destination "${name}"; expected one of: ${Object.keys(c.destinations).join(', ') || '(none defined)'}`,
          });
        }
      });
    });
    const kinds = new Set(Object.values(c.destinations).flatMap((d) => Object.keys(d)));
    if (kinds.has('slack') && !c.slack) {
      ctx.addIssue({ code: 'custom', path: ['slack'], message: 'a slack destination needs slack.botToken' });
    }
  });

export type Config = z.infer<typeof configSchema>;
export type Route = Config['routes'][number];
export type Destination = Config['destinations'][string];
export type DestinationKind = Destination extends infer D
  ? D extends Record<infer K, unknown>
    ? K
    : never
  : never;

function toArray<T>(v: T | T[]): T[] {
  return Array.isArray(v) ? v : [v];
}

function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}
