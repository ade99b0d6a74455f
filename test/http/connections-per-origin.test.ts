import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { CONNECTIONS_PER_ORIGIN, fetchWithDeadline } from '../../src/http/fetch-with-deadline.js';

/**
 * Issue 14: one comment naming thousands of people opened 3,194 sockets to the Credo AI API.
 * However many calls are made at once, one origin gets at most CONNECTIONS_PER_ORIGIN; the others
 * wait their turn and are answered all the same.
 */

let close: () => Promise<void> = async () => {};
afterEach(() => close());

describe('calls to one origin', () => {
  it(`use at most ${CONNECTIONS_PER_ORIGIN} connections, and every call is answered`, async () => {
    const sockets = new Set<unknown>();
    let mostSockets = 0;
    const held: ServerResponse[] = [];
    const server = createServer((_request, response) => {
      held.push(response);
      // Answers only once as many calls as could ever be in flight wait: each holds its socket.
      if (held.length >= CONNECTIONS_PER_ORIGIN) for (const waiting of held.splice(0)) waiting.end('{}');
    });
    server.on('connection', (socket) => {
      sockets.add(socket);
      mostSockets = Math.max(mostSockets, sockets.size);
      socket.on('close', () => sockets.delete(socket));
    });
    await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
    close = () =>
      new Promise((closed) => {
        server.close(() => closed());
        // The client keeps its connections alive: close them, or close() waits for them.
        server.closeAllConnections();
      });
    const { port } = server.address() as AddressInfo;

    const calls = 10 * CONNECTIONS_PER_ORIGIN;
    const answers = await Promise.all(
      Array.from({ length: calls }, () => fetchWithDeadline(`http://127.0.0.1:${port}/users/u1`, {}, 10_000)),
    );

    expect(answers.filter((answer) => answer.status === 200)).toHaveLength(calls);
    expect(mostSockets).toBe(CONNECTIONS_PER_ORIGIN);
  });
});
