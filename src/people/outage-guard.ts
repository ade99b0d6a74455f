import type { Clock } from '../clock.js';
import { codeOf } from '../errors.js';
import type { Logger } from '../log.js';

/**
 * Calls to a service that only enriches messages (the Credo AI API, a chat directory). When it
 * fails, messages go out with what is known: the failure is logged once for the whole outage,
 * not once per event, and the service is left alone for a pause so that every delivery does not
 * wait for its timeout in turn.
 */
export interface OutageGuard {
  /** `{ value }` from `call`, or undefined when the service failed or is paused after a failure. */
  call<T>(call: () => Promise<T>): Promise<{ value: T } | undefined>;
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
    async call(call) {
      if (failing && clock.now() < resumeAt) return undefined;
      try {
        const value = await call();
        if (failing) log.info({ service }, `${service} answers again`);
        failing = false;
        return { value };
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
        return undefined;
      }
    },
  };
}
