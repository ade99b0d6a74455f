import { createServer, type ServerResponse } from 'node:http';
import { type AddressInfo, connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';

/**
 * Issue 20: behind a corporate proxy, outgoing calls (Slack, Teams, Credo AI) go through
 * HTTPS_PROXY / HTTP_PROXY, except to the hosts NO_PROXY names. The proxy here is a CONNECT
 * proxy as corporate ones are: it records each tunnel asked for, and opens those to 127.0.0.1.
 */

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  vi.unstubAllEnvs();
  // The last module loaded here holds a dispatcher that reads this test's proxy: the test files
  // that share this process (vitest.config.ts) must load their own, as the server would at start.
  vi.resetModules();
  for (const close of closers.splice(0)) await close();
});

function closeOnEnd(server: ReturnType<typeof createServer>, sockets: Set<Socket>) {
  closers.push(
    () =>
      new Promise((closed) => {
        server.close(() => closed());
        // Keep-alive connections and open tunnels would hold close() until they time out.
        server.closeAllConnections();
        for (const socket of sockets) socket.destroy();
      }),
  );
}

async function listen(server: ReturnType<typeof createServer>): Promise<number> {
  await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
  return (server.address() as AddressInfo).port;
}

/** A CONNECT proxy: `tunnels` lists what was asked for, `mostOpen` the most tunnels open at once. */
async function startConnectProxy() {
  const tunnels: string[] = [];
  const sockets = new Set<Socket>();
  const seen = { mostOpen: 0, open: 0 };
  const server = createServer((_request, response) => response.writeHead(405).end());
  server.on('connect', (request, client: Socket, head: Buffer) => {
    const target = request.url ?? '';
    tunnels.push(target);
    sockets.add(client);
    const [host, port] = target.split(':');
    if (host !== '127.0.0.1') {
      client.end('HTTP/1.1 502 Bad Gateway\r\n\r\n');
      return;
    }
    const upstream = connect(Number(port), host, () => {
      seen.open += 1;
      seen.mostOpen = Math.max(seen.mostOpen, seen.open);
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(client).pipe(upstream);
    });
    sockets.add(upstream);
    upstream.on('close', () => {
      seen.open -= 1;
      client.destroy();
    });
    for (const socket of [client, upstream]) socket.on('error', () => socket.destroy());
  });
  const port = await listen(server);
  closeOnEnd(server, sockets);
  return { url: `http://127.0.0.1:${port}`, tunnels, seen };
}

/** The service called; it answers once `holdUntil` calls wait, so that each holds its connection. */
async function startService(holdUntil = 1) {
  const held: ServerResponse[] = [];
  const server = createServer((_request, response) => {
    held.push(response);
    if (held.length >= holdUntil) for (const waiting of held.splice(0)) waiting.end('{"ok":true}');
  });
  const port = await listen(server);
  closeOnEnd(server, new Set());
  return { origin: `http://127.0.0.1:${port}`, port };
}

/** The module reads the proxy settings as it loads, as the server does at start. */
async function loadWithEnvironment(env: { proxy: string; noProxy: string }) {
  // undici reads the lower-case names first: set both, whatever the machine running the tests has.
  for (const name of ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy']) vi.stubEnv(name, env.proxy);
  for (const name of ['NO_PROXY', 'no_proxy']) vi.stubEnv(name, env.noProxy);
  vi.resetModules();
  return import('../../src/http/fetch-with-deadline.js');
}

describe('outgoing calls behind a proxy (issue 20)', () => {
  it('ask the proxy of HTTPS_PROXY for a tunnel to an https service', async () => {
    const proxy = await startConnectProxy();
    const { fetchWithDeadline } = await loadWithEnvironment({ proxy: proxy.url, noProxy: '' });

    // The proxy cannot reach this host and says so: what matters is that it was asked.
    await expect(fetchWithDeadline('https://slack.test/api/chat.postMessage', {}, 5_000)).rejects.toThrow(
      /Proxy response \(502\)/,
    );
    expect(proxy.tunnels).toEqual(['slack.test:443']);
  });

  it('are answered through the tunnel, at most CONNECTIONS_PER_ORIGIN of them to one origin', async () => {
    const proxy = await startConnectProxy();
    const { fetchWithDeadline, CONNECTIONS_PER_ORIGIN } = await loadWithEnvironment({
      proxy: proxy.url,
      noProxy: '',
    });
    const service = await startService(CONNECTIONS_PER_ORIGIN);

    const calls = 4 * CONNECTIONS_PER_ORIGIN;
    const answers = await Promise.all(
      Array.from({ length: calls }, () => fetchWithDeadline(`${service.origin}/users/u1`, {}, 10_000)),
    );

    expect(answers.filter((answer) => answer.status === 200)).toHaveLength(calls);
    expect(new Set(proxy.tunnels)).toEqual(new Set([`127.0.0.1:${service.port}`]));
    expect(proxy.seen.mostOpen).toBe(CONNECTIONS_PER_ORIGIN);
  });

  it('go straight to the hosts NO_PROXY names', async () => {
    const proxy = await startConnectProxy();
    const { fetchWithDeadline } = await loadWithEnvironment({
      proxy: proxy.url,
      noProxy: 'localhost,127.0.0.1',
    });
    const service = await startService();

    const answer = await fetchWithDeadline(`${service.origin}/users/u1`, {}, 5_000);

    expect(answer.status).toBe(200);
    expect(proxy.tunnels).toEqual([]);
  });
});
