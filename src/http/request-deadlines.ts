import type { Server } from 'node:http';
import type { Socket } from 'node:net';

/** Where Node keeps the timer of its deadline check (lib/_http_server.js). */
const CHECK_TIMER = 'http.server.connectionsCheckingInterval';

/**
 * Node cuts a request that overruns `requestTimeout` or `headersTimeout` with a 408, but only
 * when it looks: every `connectionsCheckingInterval`, from listen to close, with a connection
 * open or not. Looking every second (so that a slow request is cut within a second of its
 * deadline) woke an idle server every second for nothing. Here Node's own check runs at the same
 * pace while a connection is open, and not at all while none is: with no connection there is no
 * request to cut, and the first to open starts the checks again.
 *
 * Node keeps its timer under a symbol, not in its API. Should a later Node keep it elsewhere,
 * its own timer is left running: the deadlines hold, at the cost of the idle wake-ups.
 */
export function checkDeadlinesWhileConnected(server: Server, everyMs: number): void {
  server.once('listening', () => {
    const key = Object.getOwnPropertySymbols(server).find((symbol) => symbol.description === CHECK_TIMER);
    const slots = server as unknown as Record<symbol, NodeJS.Timeout | undefined>;
    const nodeTimer = key && slots[key];
    // The bound checkConnections; clearInterval drops it from the timer, so it is read first.
    const onTimeout = (nodeTimer as { _onTimeout?: unknown } | undefined)?._onTimeout;
    if (!key || typeof onTimeout !== 'function') return;
    const check = onTimeout as () => void;
    clearInterval(nodeTimer);
    let open = 0;
    server.on('connection', (socket: Socket) => {
      // Kept where Node keeps its own, so that server.close() clears it as it would Node's.
      if (open++ === 0) slots[key] = setInterval(check, everyMs).unref();
      socket.once('close', () => {
        if (--open === 0) clearInterval(slots[key]);
      });
    });
  });
}
