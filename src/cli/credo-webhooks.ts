import type { Config, Route } from '../config/schema.js';
import {
  type CredoApiClient,
  type CredoWebhook,
  createCredoApiClient,
  type WebhookAuthentication,
} from '../credo-api/client.js';
import { EVENT_TYPES, isKnownEventType } from '../events/event-types.js';
import { eventTypeMatcher } from '../routing/route-event.js';
import { formatTable } from './format-table.js';

/**
 * `credo-notify credo webhooks list|create|delete`: registers this server with Credo AI. Each
 * command resolves when done and rejects with an Error whose message is meant for the user.
 */

export type Write = (text: string) => void;

export interface CreateWebhookArgs {
  /** Public base URL (the webhook path is added) or the full webhook URL. */
  url: string;
  description?: string;
  environment?: string;
}

/** The client for `credo.api`, or an error that says which keys to set. */
export function credoApiClientFor(
  config: Config,
  options: { fetch?: typeof fetch; timeoutMs?: number } = {},
): CredoApiClient {
  const api = config.credo.api;
  if (!api) {
    throw new Error(
      'the config has no credo.api: set credo.api.tenant and credo.api.token (an API token from Credo AI), and credo.api.url if your server is not https://api.credo.ai',
    );
  }
  return createCredoApiClient({ ...api, ...options });
}

export async function listCredoWebhooks(
  config: Config,
  client: CredoApiClient,
  _args: Record<string, never>,
  write: Write,
): Promise<void> {
  const webhooks = await client.listWebhooks();
  if (webhooks.length === 0) {
    write(`No webhooks registered in Credo AI for tenant ${config.credo.api?.tenant ?? ''}.\n`);
    return;
  }
  write(formatTable(['ID', 'AUTH', 'URL', 'EVENT TYPES'], webhooks.map(webhookRow)));
}

export async function createCredoWebhook(
  config: Config,
  client: CredoApiClient,
  args: CreateWebhookArgs,
  write: Write,
): Promise<void> {
  const { base, webhookUrl } = webhookUrls(args.url, config.server.webhookPath);
  const created = await client.createWebhook({
    description: args.description ?? `credo-notify at ${new URL(webhookUrl).host}`,
    url: webhookUrl,
    eventTypes: subscribedEventTypes(config.routes),
    eventTypePrefix: config.credo.eventTypePrefix || undefined,
    eventTypeSuffix: config.credo.eventTypeSuffix || undefined,
    environment: args.environment,
    authentication: webhookAuthentication(config.credo.auth, base),
  });
  write(
    [
      `Created webhook ${created.id}, as Credo AI stored it:`,
      ...describeWebhook(created),
      '',
      nextStep(config.credo.auth.method, base),
      '',
    ].join('\n'),
  );
}

/** Every attribute of the webhook Credo AI answered with, so what it stored can be compared. */
function describeWebhook(webhook: CredoWebhook): string[] {
  const rows: Array<[string, string | undefined]> = [
    ['url', webhook.url],
    ['description', webhook.description],
    ['event types', webhook.eventTypes.join(', ')],
    ['event type prefix', webhook.eventTypePrefix],
    ['event type suffix', webhook.eventTypeSuffix],
    ['environment', webhook.environment],
    ['authentication', webhook.authenticationMethod ?? 'none'],
    ['authentication server', webhook.authenticationServer],
  ];
  return rows.flatMap(([name, value]) => (value ? [`  ${name}: ${value}`] : []));
}

export async function deleteCredoWebhook(
  config: Config,
  client: CredoApiClient,
  args: { id: string },
  write: Write,
): Promise<void> {
  if (!(await client.deleteWebhook(args.id))) {
    throw new Error(
      `Credo AI has no webhook ${args.id} for tenant ${config.credo.api?.tenant ?? ''}; see \`credo webhooks list\``,
    );
  }
  write(`Deleted webhook ${args.id}.\n`);
}

/**
 * A URL whose path ends with `server.webhookPath` is the webhook URL itself; any other is the
 * public base the server is reached at (perhaps under a proxy prefix), and the path is added.
 */
function webhookUrls(given: string, webhookPath: string): { base: string; webhookUrl: string } {
  let url: URL;
  try {
    url = new URL(given);
  } catch {
    throw new Error(`--url must be an absolute http(s) URL, got "${given}"`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new Error(`--url must be an http(s) URL, got "${given}"`);
  }
  const path = url.pathname.replace(/\/+$/, '');
  const suffix = webhookPath.replace(/\/+$/, '');
  const basePath = path.endsWith(suffix) ? path.slice(0, path.length - suffix.length) : path;
  const base = `${url.origin}${basePath}`;
  return { base, webhookUrl: `${base}${webhookPath}` };
}

/**
 * The event types the routes can use, for the subscription: each glob expanded against the known
 * types by the router's own matching, plus any name written out that this version does not know
 * yet (Credo AI adds types; the user may know of one before we do).
 */
function subscribedEventTypes(routes: readonly Route[]): string[] {
  const patterns = routes.flatMap((route) => route.match.events);
  if (patterns.length === 0) {
    throw new Error(
      'the config has no routes: add at least one under `routes`, or no event would be delivered',
    );
  }
  const known = EVENT_TYPES.filter(eventTypeMatcher(patterns));
  const unknown = patterns.filter((pattern) => !pattern.includes('*') && !isKnownEventType(pattern));
  const eventTypes = [...new Set<string>([...known, ...unknown])];
  if (eventTypes.length === 0) {
    throw new Error(`no event type matches the routes' events (${patterns.join(', ')})`);
  }
  return eventTypes;
}

/** Svix signs every delivery whatever the webhook says, so only OAuth is set on the webhook. */
function webhookAuthentication(auth: Config['credo']['auth'], base: string): WebhookAuthentication {
  if (auth.method !== 'oauth') return { method: 'none' };
  const oauth = auth.oauth;
  if (!oauth?.signingKey || !oauth.payload) {
    throw new Error(
      `with credo.auth.method oauth, Credo AI gets its tokens from ${base}/oauth/token: set credo.auth.oauth.signingKey and credo.auth.oauth.payload (what Credo AI will send there)`,
    );
  }
  return {
    method: 'o_auth',
    server: `${base}/oauth/token`,
    payload: oauth.payload,
    payloadType: oauth.payloadType,
  };
}

function nextStep(method: Config['credo']['auth']['method'], base: string): string {
  switch (method) {
    case 'svix':
      return "Next: Paste the endpoint's Svix signing secret (whsec_...) into CREDO_WEBHOOK_SECRET and restart credo-notify. The API does not return it: docs/credo-ai.md (step 5) says where to ask for it.";
    case 'oauth':
      return `Next: make sure ${base}/oauth/token is reachable from the internet; Credo AI asks it for a token before each delivery.`;
    case 'none':
      return "Next: credo.auth.method is none, so credo-notify accepts deliveries from this machine only. Set it to svix and paste the endpoint's Svix signing secret (whsec_...) into CREDO_WEBHOOK_SECRET before exposing the server.";
  }
}

function webhookRow(webhook: CredoWebhook): string[] {
  return [webhook.id, webhook.authenticationMethod ?? '-', webhook.url, webhook.eventTypes.join(', ') || '-'];
}
