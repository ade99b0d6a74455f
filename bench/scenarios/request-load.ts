import { presign } from '../../test/faults/support/presigned.js';
import { drive, type Load } from '../drive.js';
import { type LatencySummary, summarize } from '../latency.js';
import type { Plan } from '../plan.js';
import { loadAverage } from '../process-usage.js';

/** What one server did under one load. */
export interface LoadFigures {
  /** Acknowledged (2xx) per second. */
  requestsPerSecond: number;
  latency: LatencySummary;
  /** Requests not acknowledged: non-2xx answers, errors, timeouts. */
  failed: number;
  /** Deliveries sent twice because too few were signed ahead (a pool too small for this machine). */
  repeated: number;
  /** The load average at the end: throughput and latency on a shared machine move with it. */
  loadAverage: number;
}

/** More than credo-notify acknowledges per second on any machine we know of: the pool never runs dry. */
const MOST_ACKS_PER_SECOND = 20_000;

/**
 * Ingest: `plan.connections` connections each sending the next delivery as soon as the last is
 * answered. `reuse` for the baseline, which ignores ids.
 */
export function measureIngest(url: string, plan: Plan, reuse: boolean): Promise<LoadFigures> {
  const load = (seconds: number) => ({ connections: plan.connections, seconds });
  return warmThenMeasure({
    url,
    plan,
    reuse,
    load,
    warmUpSeconds: plan.warmUpSeconds,
    seconds: plan.ingestSeconds,
    mostPerSecond: MOST_ACKS_PER_SECOND,
  });
}

/** Acknowledgement latency at a steady `plan.ackRatePerSecond`. */
export function measureAckLatency(url: string, plan: Plan, reuse: boolean): Promise<LoadFigures> {
  const ratePerSecond = plan.ackRatePerSecond;
  const load = (seconds: number) => ({ ratePerSecond, seconds });
  return warmThenMeasure({
    url,
    plan,
    reuse,
    load,
    warmUpSeconds: plan.steadyWarmUpSeconds,
    seconds: plan.ackSeconds,
    mostPerSecond: ratePerSecond,
  });
}

/** The load for a while first, so that the JIT has settled, then measured. */
async function warmThenMeasure(measurement: {
  url: string;
  plan: Plan;
  reuse: boolean;
  load: (seconds: number) => Load;
  warmUpSeconds: number;
  seconds: number;
  /** How many deliveries a second of this load can take at most. */
  mostPerSecond: number;
}): Promise<LoadFigures> {
  const { url, plan, reuse, load, warmUpSeconds, mostPerSecond } = measurement;
  const run = (seconds: number) => {
    // A second more than asked: a run ends with its last answers, after the time is up.
    const deliveries = presign(Math.ceil(mostPerSecond * (seconds + 1)), plan.ingestChannels);
    return drive({ url, deliveries, reuse, load: load(seconds) });
  };
  await run(warmUpSeconds);
  const result = await run(measurement.seconds);
  return {
    requestsPerSecond: result.acknowledged.length / result.seconds,
    latency: summarize(result.latenciesMs),
    failed: result.failed,
    repeated: result.repeated,
    loadAverage: loadAverage(),
  };
}
