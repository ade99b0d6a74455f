import { statSync, writeFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { processWithFakeSlack } from '../helpers/process-with-fake-slack.js';
import { svixHeaders, TEST_SECRET } from '../helpers/signed-delivery.js';

/**
 * Issue 14: attacks on the process itself, made against the real `credo-notify serve`: sockets
 * held open by slow bodies or by sheer number, and a database others on the machine could read.
 */

const world = processWithFakeSlack();

function writeConfig(server: string, store = `sqlite:\${DB_PATH}`): void {
  writeFileSync(
    world.configPath,
    `server: { host: 127.0.0.1, port: "\${PORT}", ${server} }
store: { url: "${store}" }
credo: { auth: { method: svix, secrets: ["${TEST_SECRET}"] }, eventTypePrefix: CredoAI }
destinations: { out: { console: {} } }
routes: [{ to: [out] }]
`,
  );
}

interface Held {
  socket: Socket;
  /** What the server sent before it closed the socket. */
  closed: Promise<string>;
}

function open(url: string): Promise<Held> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname);
    let received = '';
    socket.setEncoding('utf8').on('data', (chunk) => {
      received += chunk;
    });
    const closed = new Promise<string>((done) => socket.on('close', () => done(received)));
    socket.once('connect', () => resolve({ socket, closed }));
    socket.once('error', reject);
  });
}

/** A signed delivery's head, then its body a byte at a time: what the review's 20 sockets did. */
async function trickle(url: string): Promise<{ held: Held; stop: () => void }> {
  const body = '{"type":"CredoAI.use_case_name_updated","data":{"useCaseId":"U1","name":"Loans"}}';
  const held = await open(url);
  const headers = Object.entries(svixHeaders(body)).map(([name, value]) => `${name}: ${value}\r\n`);
  held.socket.write(
    `POST /webhooks/credo HTTP/1.1\r\nhost: x\r\ncontent-length: ${body.length}\r\n${headers.join('')}\r\n`,
  );
  let sent = 0;
  const timer = setInterval(() => {
    if (!held.socket.destroyed && sent < body.length - 1) held.socket.write(body[sent++] ?? '');
  }, 300);
  held.closed.finally(() => clearInterval(timer));
  return { held, stop: () => clearInterval(timer) };
}

async function healthzMs(url: string): Promise<number> {
  const started = performance.now();
  const response = await fetch(`${url}/healthz`);
  expect(response.status).toBe(200);
  return performance.now() - started;
}

const within = <T>(promise: Promise<T>, ms: number, what: string) =>
  Promise.race([
    promise,
    new Promise<never>((_, reject) =>
      setTimeout(() => reject(new Error(`${what}: not within ${ms} ms`)), ms),
    ),
  ]);

describe('slow bodies, silent sockets, socket floods and file modes', () => {
  it('cuts 20 trickling deliveries with 408 and a silent socket, keeps answering, and keeps its files private', {
    timeout: 60_000,
  }, async () => {
    const path = join(world.dir, 'data', 'private', 'credo-notify.db');
    writeConfig('requestTimeoutSeconds: 2, connectionTimeoutSeconds: 1', `sqlite:${path}`);
    // Even a umask that lets everyone read must not open the database to others.
    const umask = process.umask(0o000);
    const server = await world.start().finally(() => process.umask(umask));
    const slow = await Promise.all(Array.from({ length: 20 }, () => trickle(server.url)));
    const silent = await open(server.url);
    try {
      await healthzMs(server.url);
      // Without a request timeout these stayed open past 130 s; the deadline is 2 s, checked each second.
      const answers = await within(
        Promise.all(slow.map(({ held }) => held.closed)),
        10_000,
        'slow sockets closed',
      );
      for (const answer of answers) expect(answer).toMatch(/^HTTP\/1\.1 408/);
      await within(silent.closed, 10_000, 'silent socket closed');
      await healthzMs(server.url);
    } finally {
      for (const { held, stop } of slow) {
        stop();
        held.socket.destroy();
      }
      silent.socket.destroy();
    }

    const mode = (file: string) => (statSync(file).mode & 0o777).toString(8);
    expect(mode(join(world.dir, 'data'))).toBe('700');
    expect(mode(join(world.dir, 'data', 'private'))).toBe('700');
    expect(mode(path)).toBe('600');
    expect(mode(`${path}-wal`)).toBe('600');
    expect(mode(`${path}-shm`)).toBe('600');
  });

  it('refuses connections past maxConnections, and serves again once they go', {
    timeout: 60_000,
  }, async () => {
    writeConfig('maxConnections: 5');
    const server = await world.start();
    const held = await Promise.all(Array.from({ length: 5 }, () => open(server.url)));
    try {
      const extra = await open(server.url);
      expect(await within(extra.closed, 5_000, 'connection past the cap closed')).toBe('');
    } finally {
      for (const { socket } of held) socket.destroy();
    }
    await expect.poll(() => healthzMs(server.url).then(() => true), { timeout: 5_000 }).toBe(true);
  });
});
