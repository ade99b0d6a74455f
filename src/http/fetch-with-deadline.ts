import { STATUS_CODES } from 'node:http';
import { createRequire } from 'node:module';
import type { Dispatcher, EnvHttpProxyAgent } from 'undici';

/**
 * Only the parts of undici this file uses: its index also loads fetch, WebSocket, the cache and
 * the mocks (8 MB, 350 ms at start on a busy machine), and its cookies module reads the global
 * `Headers`, which loads Node's own copy of undici besides (9 MB more). undici has no `exports`
 * map, so these paths are its public files; the lock file pins the version they are read from.
 */
const requireUndici = createRequire(import.meta.url);
const EnvProxyAgent = requireUndici(
  'undici/lib/dispatcher/env-http-proxy-agent.js',
) as typeof EnvHttpProxyAgent;
// What undici's index does to every dispatcher, and the proxy agent relies on (its tunnels are
// opened with `connect`): the request API as methods.
Object.assign(
  (requireUndici('undici/lib/dispatcher/dispatcher.js') as { prototype: object }).prototype,
  requireUndici('undici/lib/api/index.js'),
);

/** The headers of an answer, read as fetch's `Headers` are read: all our callers and the Slack client use. */
export interface AnswerHeaders {
  /** The value, several joined by ", "; null when absent. Names in any case. */
  get(name: string): string | null;
  entries(): IterableIterator<[string, string]>;
}

/**
 * An HTTP answer read whole: the part of fetch's Response that our callers and the Slack Web API
 * client use.
 */
export interface HttpAnswer {
  readonly ok: boolean;
  readonly status: number;
  readonly statusText: string;
  readonly headers: AnswerHeaders;
  /** Where the request went (no redirect is followed). */
  readonly url: string;
  text(): Promise<string>;
  json(): Promise<unknown>;
  arrayBuffer(): Promise<ArrayBuffer>;
}

/**
 * Connections open at once to one origin (Slack, the Credo AI API...). Past it, calls queue in
 * the pool, each still within its deadline. Without a cap, one comment naming thousands of
 * people opened 3,194 sockets to the Credo AI API (issue 14); sends are paced far below this.
 */
export const CONNECTIONS_PER_ORIGIN = 16;

/**
 * Keep-alive connections, one pool per origin, shared by every outgoing call. Behind a corporate
 * proxy, HTTPS_PROXY and HTTP_PROXY (read once, at start) send calls through it by CONNECT, and
 * NO_PROXY names the hosts reached directly: undici reads them, as curl does. The cap holds
 * either way: through the proxy, it counts the tunnels to each origin.
 */
const dispatcher = new EnvProxyAgent({ connections: CONNECTIONS_PER_ORIGIN });

/**
 * Every call this server makes (Slack, incoming webhooks, Teams workflows, Credo AI): gives up
 * after `timeoutMs`, reading of the body included, by rejecting with a `TimeoutError`, as
 * `AbortSignal.timeout` would.
 *
 * Not fetch: measured over 8,000 posts to a local server, fetch cost 1,184 µs of CPU a call
 * against 429 µs for undici's `request`, and its web streams and signals outlive the young
 * generation, which left 45 MB of garbage in the old one against 18 MB. At Slack's pace that
 * was most of the server's peak memory. Nor `AbortSignal.timeout`, whose timer keeps the
 * request it was passed to alive until the time runs out: 10 s for a call that took 5 ms.
 */
export async function fetchWithDeadline(
  url: string | URL,
  init: RequestInit,
  timeoutMs: number,
): Promise<HttpAnswer> {
  const controller = new AbortController();
  const timer = setTimeout(
    () => controller.abort(new DOMException(`no answer within ${timeoutMs} ms`, 'TimeoutError')),
    timeoutMs,
  );
  try {
    const target = new URL(url);
    const answer = await dispatcher.request({
      origin: target.origin,
      path: `${target.pathname}${target.search}`,
      method: (init.method ?? 'GET') as Dispatcher.HttpMethod,
      headers: headerPairs(init.headers),
      body: bodyOf(init.body),
      signal: controller.signal,
    });
    const body = Buffer.from(await answer.body.arrayBuffer());
    return bufferedAnswer(String(url), answer.statusCode, answer.headers, body);
  } finally {
    clearTimeout(timer);
  }
}

/** Our callers send text: JSON, or the Slack client's form encoding. */
function bodyOf(body: RequestInit['body']): string | undefined {
  if (body === undefined || body === null) return undefined;
  if (typeof body === 'string') return body;
  throw new TypeError('fetchWithDeadline sends text bodies only');
}

/** Any form of fetch's HeadersInit, as name-value pairs, without building a `Headers`. */
function headerPairs(headers: RequestInit['headers']): string[] {
  if (headers === undefined) return [];
  const entries =
    Array.isArray(headers) || typeof (headers as Headers).entries === 'function'
      ? [...(headers as Iterable<[string, string]>)]
      : Object.entries(headers as Record<string, string>);
  return entries.flat();
}

function bufferedAnswer(
  url: string,
  status: number,
  raw: Dispatcher.ResponseData['headers'],
  body: Buffer,
): HttpAnswer {
  // undici gives names in lower case, a header sent several times as an array.
  const values = new Map<string, string>();
  for (const [name, value] of Object.entries(raw)) {
    if (value !== undefined) values.set(name, Array.isArray(value) ? value.join(', ') : value);
  }
  const headers: AnswerHeaders = {
    get: (name) => values.get(name.toLowerCase()) ?? null,
    entries: () => values.entries(),
  };
  const text = async () => body.toString('utf8');
  return {
    ok: status >= 200 && status < 300,
    status,
    statusText: STATUS_CODES[status] ?? '',
    headers,
    url,
    text,
    json: async () => JSON.parse(await text()),
    arrayBuffer: async () =>
      body.buffer.slice(body.byteOffset, body.byteOffset + body.byteLength) as ArrayBuffer,
  };
}
