import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A fake Credo AI API on 127.0.0.1: the token exchange, users and use cases from directories the
 * test fills, and webhooks kept in memory. Every request is recorded. It checks what the real
 * one checks (API token and tenant at the exchange, a live bearer token on every read, the create
 * body's required attributes), so a client that passes here speaks the real protocol.
 */
export interface FakeCredoApi {
  /** Server base, what `credo.api.url` takes. */
  url: string;
  tenant: string;
  /** The API token the exchange accepts. */
  token: string;
  /** User id -> attributes as Credo AI sends them: `{ email, given_name, family_name, nickname }`. */
  users: Map<string, Record<string, unknown>>;
  /** Use case id -> attributes: `{ name, risk_category_level }`. */
  useCases: Map<string, Record<string, unknown>>;
  /** Webhook id -> attributes as created: `{ url, event_types, authentication_method, ... }`. */
  webhooks: Map<string, Record<string, unknown>>;
  /** Every request received, answered or not, in order. */
  requests: FakeCredoRequest[];
  /** Answers the next `/api/v2` requests with these, one per request, before any check. */
  answerNext(...answers: FakeCredoAnswer[]): void;
  /** Down: every request gets 503 (`unavailable`) or a closed socket (`hang-up`). */
  setDown(down: boolean, how?: 'unavailable' | 'hang-up'): void;
  /** Every access token issued so far stops working: the next call gets a 401. */
  expireTokens(): void;
  close(): Promise<void>;
}

export interface FakeCredoRequest {
  method: string;
  /** e.g. `/auth/exchange`, `/api/v2/acme/users/U1` */
  path: string;
  authorization: string | undefined;
  contentType: string | undefined;
  accept: string | undefined;
  /** Parsed JSON, the raw text when it is not JSON, undefined when empty. */
  body: unknown;
}

export type FakeCredoAnswer =
  /** A string body is sent as text, anything else as JSON. */
  | { status: number; body?: unknown }
  /** Never answers (until close): a hung API. */
  | { hang: true };

export interface FakeCredoApiOptions {
  tenant?: string;
  token?: string;
}

interface Reply {
  status: number;
  body?: unknown;
}

const JSON_API = 'application/vnd.api+json';

export async function startFakeCredoApi(options: FakeCredoApiOptions = {}): Promise<FakeCredoApi> {
  const tenant = options.tenant ?? 'acme';
  const token = options.token ?? `credo_api_${randomBytes(12).toString('hex')}`;
  const users = new Map<string, Record<string, unknown>>();
  const useCases = new Map<string, Record<string, unknown>>();
  const webhooks = new Map<string, Record<string, unknown>>();
  const requests: FakeCredoRequest[] = [];
  const scripted: FakeCredoAnswer[] = [];
  const liveTokens = new Set<string>();
  let down: 'unavailable' | 'hang-up' | undefined;

  const exchange = (body: unknown): Reply => {
    const { api_token, tenant: askedTenant } = (body ?? {}) as Record<string, unknown>;
    if (api_token !== token || askedTenant !== tenant)
      return errors(401, 'Unauthorized', 'invalid API token or tenant');
    const accessToken = `access_${randomBytes(16).toString('hex')}`;
    liveTokens.add(accessToken);
    return { status: 200, body: { access_token: accessToken } };
  };

  const resource = (type: string, directory: Map<string, Record<string, unknown>>, id: string): Reply => {
    const attributes = directory.get(id);
    return attributes ? { status: 200, body: { data: { id, type, attributes } } } : notFound();
  };

  const webhookResource = (id: string, attributes: Record<string, unknown>) => ({
    id,
    type: 'webhook',
    attributes,
  });

  const createWebhook = (request: FakeCredoRequest): Reply => {
    if (!request.contentType?.startsWith(JSON_API)) {
      return errors(415, 'Unsupported Media Type', `content-type must be ${JSON_API}`);
    }
    const attributes = (request.body as { data?: { attributes?: Record<string, unknown> } } | undefined)?.data
      ?.attributes;
    const missing = missingWebhookAttributes(attributes);
    if (!attributes || missing.length > 0) {
      return {
        status: 422,
        body: { errors: missing.map((name) => ({ title: 'Invalid', detail: `${name} is required` })) },
      };
    }
    const id = newId();
    webhooks.set(id, attributes);
    return { status: 201, body: { data: webhookResource(id, attributes) } };
  };

  /** `path` is below `/api/v2/{tenant}`. */
  const api = (request: FakeCredoRequest, path: string): Reply => {
    const [collection, id, ...rest] = path.split('/').filter(Boolean).map(decodeURIComponent);
    if (rest.length > 0) return notImplemented(request);
    if (request.method === 'GET' && collection === 'users' && id) return resource('users', users, id);
    if (request.method === 'GET' && collection === 'use_cases' && id)
      return resource('use_cases', useCases, id);
    if (collection !== 'webhooks') return notImplemented(request);
    if (request.method === 'GET' && !id) {
      return {
        status: 200,
        body: { data: [...webhooks].map(([key, value]) => webhookResource(key, value)) },
      };
    }
    if (request.method === 'POST' && !id) return createWebhook(request);
    if (request.method === 'DELETE' && id) return webhooks.delete(id) ? { status: 204 } : notFound();
    return notImplemented(request);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const raw = await readBody(req);
    const request: FakeCredoRequest = {
      method: req.method ?? 'GET',
      path: req.url ?? '/',
      authorization: req.headers.authorization,
      contentType: req.headers['content-type'],
      accept: req.headers.accept,
      body: parseBody(raw),
    };
    requests.push(request);
    if (down === 'hang-up') return req.socket.destroy();
    if (down === 'unavailable') return send(res, { status: 503, body: 'Service Unavailable' });
    if (request.method === 'POST' && request.path === '/auth/exchange')
      return send(res, exchange(request.body));

    const prefix = `/api/v2/${tenant}/`;
    const underApi = request.path.startsWith('/api/v2/');
    const answer = underApi ? scripted.shift() : undefined;
    if (answer && 'hang' in answer) return;
    if (answer) return send(res, { status: answer.status, body: answer.body });
    if (!underApi) return send(res, notImplemented(request));

    const bearer = request.authorization?.match(/^Bearer (.+)$/)?.[1];
    if (!bearer || !liveTokens.has(bearer))
      return send(res, errors(401, 'Unauthorized', 'invalid or expired token'));
    if (!request.path.startsWith(prefix))
      return send(res, errors(403, 'Forbidden', 'not a member of this tenant'));
    send(res, api(request, request.path.slice(prefix.length - 1)));
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => send(res, { status: 500, body: String(error) }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));

  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    tenant,
    token,
    users,
    useCases,
    webhooks,
    requests,
    answerNext(...answers) {
      scripted.push(...answers);
    },
    setDown(isDown, how = 'unavailable') {
      down = isDown ? how : undefined;
    },
    expireTokens() {
      liveTokens.clear();
    },
    close() {
      server.closeAllConnections();
      return new Promise((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
    },
  };
}

/** The create request's required attributes, as the API reference lists them. */
function missingWebhookAttributes(attributes: Record<string, unknown> | undefined): string[] {
  const required = ['description', 'event_types', 'url', 'authentication_method'];
  if (attributes?.authentication_method === 'o_auth') {
    required.push('authentication_server', 'authentication_payload', 'authentication_payload_type');
  }
  return required.filter((name) => {
    const value = attributes?.[name];
    return value === undefined || value === '' || (Array.isArray(value) && value.length === 0);
  });
}

/** Credo AI ids look like `64YUaLWSviHgibJaRWr3ZE`. */
function newId(): string {
  return randomBytes(24).toString('base64url').replace(/[-_]/g, '').slice(0, 22);
}

function errors(status: number, title: string, detail: string): Reply {
  return { status, body: { errors: [{ title, detail }] } };
}

function notFound(): Reply {
  return errors(404, 'Not Found', 'resource not found');
}

function notImplemented(request: FakeCredoRequest): Reply {
  return errors(501, 'Not Implemented', `the fake Credo AI API has no ${request.method} ${request.path}`);
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function parseBody(raw: string): unknown {
  if (raw === '') return undefined;
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
}

function send(res: ServerResponse, reply: Reply): void {
  if (reply.body === undefined) {
    res.writeHead(reply.status).end();
    return;
  }
  const isText = typeof reply.body === 'string';
  res.writeHead(reply.status, { 'content-type': isText ? 'text/plain' : JSON_API });
  res.end(isText ? reply.body : JSON.stringify(reply.body));
}
