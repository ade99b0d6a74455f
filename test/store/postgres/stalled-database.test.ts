import type { AddressInfo } from 'node:net';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { sendSigned } from '../../helpers/signed-delivery.js';
import { startTestServer, type TestServer } from '../../helpers/test-server.js';
import { type FreshSchema, freshSchema, postgresUrl } from '../../setup/fresh-postgres.js';

/**
 * A TCP relay in front of PostgreSQL that can stall: it keeps every connection open and stops
 * passing bytes either way, as a hung database or a network partition does.
 */
async function stallableRelay(target: URL): Promise<{ port: number; stall(): void; close(): Promise<void> }> {
  let stalled = false;
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    const upstream = connect(Number(target.port || 5432), target.hostname);
    for (const socket of [client, upstream]) sockets.add(socket);
    client.on('data', (chunk) => stalled || upstream.write(chunk));
    upstream.on('data', (chunk) => stalled || client.write(chunk));
    const end = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    stall: () => {
      stalled = true;
    },
    close: () => {
      for (const socket of sockets) socket.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

/** Issue #12: a stalled PostgreSQL must not hold webhook requests past Svix's 15 s. */
describe.skipIf(!postgresUrl)('a stalled PostgreSQL', () => {
  let schema: FreshSchema | undefined;
  let relay: Awaited<ReturnType<typeof stallableRelay>> | undefined;
  let server: TestServer | undefined;
  afterEach(async () => {
    await relay?.close();
    await server?.close().catch(() => {});
    await schema?.drop();
  });

  it('gets 503 within 6 s for a delivery, and /readyz says the store is unreachable', {
    timeout: 30_000,
  }, async () => {
    schema = await freshSchema();
    const direct = new URL(schema.url);
    relay = await stallableRelay(direct);
    const throughRelay = new URL(schema.url);
    throughRelay.host = `127.0.0.1:${relay.port}`;
    server = await startTestServer({ store: { url: throughRelay.toString() } });
    expect((await fetch(`${server.baseUrl}/readyz`)).status).toBe(200);

    relay.stall();
    const started = performance.now();
    const answer = await sendSigned(
      server.webhookUrl,
      JSON.stringify({ type: 'CredoAI.use_case_name_updated.v1', data: { useCaseId: 'U1', name: 'Loans' } }),
    );
    const tookMs = performance.now() - started;

    expect(answer.status).toBe(503);
    expect(await answer.json()).toMatchObject({ error: { code: 'CN_STORE_UNAVAILABLE' } });
    expect(tookMs).toBeLessThan(6_000);
    const ready = await fetch(`${server.baseUrl}/readyz`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toMatchObject({
      status: 'store unreachable',
      error: { code: 'CN_STORE_UNAVAILABLE' },
    });
  });
});
