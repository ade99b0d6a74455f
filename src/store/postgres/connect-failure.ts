import { CodedError } from '../../errors.js';

/** Errors of the network, not of PostgreSQL: the fix is the host, the port or the server itself. */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ETIMEDOUT',
]);

/**
 * The first connection (`migrate`, before `serve` or a store command does anything) failing, said
 * as a person fixes it: the server as host:port (never the user or password of store.url), why,
 * and the step. pg-pool's own error is a stack through its internals that names none of these.
 */
export function connectFailure(url: string, error: unknown): CodedError {
  const { code, message } = error as { code?: string; message?: string };
  // pg-pool's own timeout ("timeout exceeded when trying to connect") carries no code.
  const network = code ? NETWORK_CODES.has(code) : /timeout|terminated/i.test(message ?? '');
  const reason = (network ? code : undefined) ?? message ?? 'no reason given';
  const step = network
    ? 'start PostgreSQL there, or correct the host and port'
    : 'correct the user, password or database in it';
  return new CodedError(
    'CN_STORE_UNREACHABLE',
    `could not connect to PostgreSQL at ${serverOf(url)} (${reason}) (store.url): ${step}`,
    { cause: error },
  );
}

/** host:port of a postgres:// URL, with libpq's defaults. */
function serverOf(url: string): string {
  try {
    const { hostname, port } = new URL(url);
    return `${hostname || 'localhost'}:${port || '5432'}`;
  } catch {
    return 'the host of store.url';
  }
}
