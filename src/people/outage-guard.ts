import type { Clock } from '../clock.js';
import { codeOf } from '../errors.js';
import type { Logger } from '../log.js';

/**
 * Calls to a service that enriches messages (the Credo AI API, a chat directory). When it fails,
 * the failure is logged once for the whole outage, not once per event, and the service is
 * paused a while: a caller that can go without the answer (a channel message showing what the
 * event carries) skips it meanwhile, so every delivery does not wait for its timeout in turn.
 * One that cannot (a direct message needs its person) calls anyway.
 */
export interface OutageGuard {
  /** Whether the service failed lately: callers that can go without it leave it alone. */
  paused(): boolean;
  /** `call`'s value; its failure is thrown, and counted in the outage's one log line. */
  call<T>(call: () => Promise<T>): Promise<T>;
}

export interface OutageGuardOptions {
  /** Named in the log lines, e.g. "the Credo AI API". */
  service: string;
  /** What messages lack meanwhile, e.g. "use case and people names". */
  consequence: string;
  log: Logger;
  clock: Clock;
  pauseMs?: number;
}

const DEFAULT_PAUSE_MS = 60_000;

export function createOutageGuard(options: OutageGuardOptions): OutageGuard {
  const { log, clock, service } = options;
  const pauseMs = options.pauseMs ?? DEFAULT_PAUSE_MS;
  let failing = false;
  let resumeAt = 0;

  return {
    paused: () => failing && clock.now() < resumeAt,
    async call(call) {
      try {
        const value = await call();
        if (failing) log.info({ service }, `${service} answers again`);
        failing = false;
        return value;
      } catch (error) {
        if (!failing) {
          const reason = error instanceof Error ? error.message : String(error);
          log.warn(
            { service, code: codeOf(error), error: reason },
            `${service} failed: messages go out without ${options.consequence}`,
          );
        }
        failing = true;
        resumeAt = clock.now() + pauseMs;
        throw error;
      }
    },
  };
}
