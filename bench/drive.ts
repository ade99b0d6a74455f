import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import autocannon, {
  type Options,
  type Request,
  type RequestContext,
  type RequestSpec,
  type Result,
} from 'autocannon';
import type { Delivery } from '../test/faults/support/presigned.js';

/** How hard to push: a fixed number of connections each sending as fast as answers come back, or a fixed rate. */
export type Load =
  | { connections: number; seconds: number }
  /** Every delivery once, over this many connections, as fast as answers come. */
  | { connections: number; once: true }
  | { ratePerSecond: number; seconds: number };

export interface DriveOptions {
  url: string;
  deliveries: readonly Delivery[];
  /** For a baseline that ignores ids: start over at the end instead of sending a delivery twice. */
  reuse?: boolean;
  load: Load;
}

export interface DriveResult {
  /** Answers that were not 2xx, plus connection errors and timeouts. */
  failed: number;
  /** How long the load ran. */
  seconds: number;
  /** Acknowledgement latency of each 2xx answer, in ms. */
  latenciesMs: number[];
  /** Deliveries answered 2xx: acknowledged, so owed a message. */
  acknowledged: Delivery[];
  /** When each delivery was sent, ms since the epoch. */
  sentAt: Map<string, number>;
  /** Deliveries sent a second time because the pool ran out (makes throughput look better). */
  repeated: number;
}

/** A fixed rate is sent by this many staggered single-connection generators per 100 req/s. */
const SLICES_PER_100_RPS = 10;
const REQUEST_TIMEOUT_SECONDS = 30;

/**
 * Drives autocannon with pre-signed deliveries and times each request itself. autocannon's
 * fixed rate sends each second's requests in one burst at the start of the second; spread over
 * staggered generators of one connection each, the same rate arrives evenly, as webhook
 * traffic does, and a latency is the server's, not a queue the generator built.
 */
export async function drive(options: DriveOptions): Promise<DriveResult> {
  const { deliveries, load } = options;
  const result: DriveResult = {
    failed: 0,
    seconds: 0,
    latenciesMs: [],
    acknowledged: [],
    sentAt: new Map(),
    repeated: 0,
  };
  let next = 0;
  const take = (): Delivery => {
    if (next >= deliveries.length) {
      if (!options.reuse) result.repeated += 1;
      next = 0;
    }
    return deliveries[next++] as Delivery;
  };
  const request: Request = {
    setupRequest(spec: RequestSpec, context: RequestContext): RequestSpec {
      const delivery = take();
      context.delivery = delivery;
      context.startedAt = performance.now();
      result.sentAt.set(delivery.id, Date.now());
      return { ...spec, method: 'POST', headers: delivery.headers, body: delivery.body };
    },
    onResponse(status: number, _body: string, context: RequestContext) {
      if (status < 200 || status > 299) return;
      result.latenciesMs.push(performance.now() - (context.startedAt as number));
      result.acknowledged.push(context.delivery as Delivery);
    },
  };

  const started = performance.now();
  const runs =
    'ratePerSecond' in load
      ? staggered(load.ratePerSecond, (ratePerSecond) =>
          run(
            { url: options.url, connections: 1, overallRate: ratePerSecond, duration: load.seconds },
            request,
          ),
        )
      : [
          run(
            {
              url: options.url,
              connections: load.connections,
              ...('once' in load ? { amount: deliveries.length } : { duration: load.seconds }),
            },
            request,
          ),
        ];
  for (const outcome of await Promise.all(runs))
    result.failed += outcome.errors + outcome.timeouts + outcome.non2xx;
  // Each staggered generator runs for the load's seconds: their sum is the rate over that time.
  result.seconds = 'ratePerSecond' in load ? load.seconds : (performance.now() - started) / 1000;
  return result;
}

/** `ratePerSecond` split over generators started evenly across one second. */
function staggered<T>(ratePerSecond: number, start: (ratePerSecond: number) => Promise<T>): Promise<T>[] {
  const slices = Math.max(1, Math.round((ratePerSecond / 100) * SLICES_PER_100_RPS));
  return Array.from({ length: slices }, async (_, i) => {
    await sleep((i * 1000) / slices);
    const share = Math.floor(ratePerSecond / slices) + (i < ratePerSecond % slices ? 1 : 0);
    return start(share);
  });
}

function run(options: Omit<Options, 'requests'>, request: Request): Promise<Result> {
  return new Promise((resolve, reject) => {
    autocannon(
      {
        ...options,
        timeout: REQUEST_TIMEOUT_SECONDS,
        // Latencies are timed above, per request; autocannon's own correction would only cost time.
        ignoreCoordinatedOmission: options.overallRate !== undefined,
        requests: [request],
      },
      (error, result) => (error ? reject(error) : resolve(result)),
    );
  });
}
