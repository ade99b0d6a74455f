import type { CpuFigures, RunningServerCpu } from './scenarios/cpu-per-message.js';
import type { DrainFigures } from './scenarios/drain.js';
import type { EndToEndFigures } from './scenarios/end-to-end.js';
import type { FootprintFigures } from './scenarios/footprint.js';
import type { LoadFigures } from './scenarios/request-load.js';
import type { WithPeakRss } from './server-under-test.js';
import type { StoreKind } from './stores.js';

/** The bare Fastify route under the same loads, measured once per bench run. */
export interface Baseline {
  ingest: LoadFigures;
  ack: LoadFigures;
}

/** Everything measured of credo-notify with one store. */
export interface StoreResults {
  store: StoreKind;
  ingest: WithPeakRss<LoadFigures>;
  /** floor.ts under the ingest load: the signature check and the durable write alone. */
  floor: LoadFigures;
  ack: WithPeakRss<LoadFigures>;
  endToEnd: WithPeakRss<EndToEndFigures>;
  drain: WithPeakRss<DrainFigures>;
  /** Start-up, idle memory and idle CPU, Slack only. */
  footprint: FootprintFigures;
  /** CPU per message of a running server: its warm-up, a steady pace, then a burst. */
  runningCpu: WithPeakRss<RunningServerCpu>;
  /** A burst to a fresh process: its peak RSS is the burst's own. */
  freshBurstCpu: WithPeakRss<CpuFigures>;
}

export function peakRssOf(results: StoreResults): number {
  return Math.max(
    results.ingest.peakRssBytes,
    results.ack.peakRssBytes,
    results.endToEnd.peakRssBytes,
    results.drain.peakRssBytes,
    results.runningCpu.peakRssBytes,
    results.freshBurstCpu.peakRssBytes,
  );
}
