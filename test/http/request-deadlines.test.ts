import { createServer } from 'node:http';
import { connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { checkDeadlinesWhileConnected } from '../../src/http/request-deadlines.js';

const servers: Array<ReturnType<typeof createServer>> = [];
afterEach(() => {
  for (const server of servers.splice(0)) server.close();
});

/** A client that sends the start of a request and then a header byte every 100 ms; resolves with what it was answered. */
function trickle(port: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let answer = '';
    const timer = setInterval(() => socket.writable && socket.write('x'), 100);
    socket.on('connect', () => socket.write('POST / HTTP/1.1\r\nHost: here\r\nX-Slow: '));
    socket.on('data', (chunk) => {
      answer += chunk.toString();
    });
    socket.on('close', () => {
      clearInterval(timer);
      resolve(answer);
    });
  });
}

/** Issue 17: Node's deadline check runs only while a connection is open, and again for the next. */
describe('request deadlines', () => {
  it('cuts a trickling request with 408, and the next one after every connection had closed', async () => {
    const server = createServer({
      requestTimeout: 300,
      headersTimeout: 300,
      connectionsCheckingInterval: 100,
    });
    servers.push(server);
    checkDeadlinesWhileConnected(server, 100);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };

    expect(await trickle(port)).toMatch(/^HTTP\/1\.1 408/);
    expect(await trickle(port)).toMatch(/^HTTP\/1\.1 408/);
  });
});
