import { CodedError } from '../errors.js';

/**
 * What to do when the server cannot listen, for the two reasons a person fixes in the config or
 * on the machine; any other error is returned as it is (a bug, to show whole).
 */
export function listenProblem(error: unknown, host: string, port: number): unknown {
  const address = `${host}:${port}`;
  switch ((error as NodeJS.ErrnoException).code) {
    case 'EADDRINUSE':
      return new CodedError(
        'CN_PORT_IN_USE',
        `${address} is in use (server.port / PORT): stop what listens there or choose another port`,
      );
    case 'EACCES':
      return new CodedError(
        'CN_PORT_NOT_PERMITTED',
        `this user may not listen on ${address} (server.port / PORT): choose a port above 1023, or run behind a proxy that owns it`,
      );
    default:
      return error;
  }
}
