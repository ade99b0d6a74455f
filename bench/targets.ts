import { megabytes, milliseconds, percent } from './format.js';
import type { Plan } from './plan.js';
import { type Baseline, peakRssOf, type StoreResults } from './results.js';
import { medianIdleRssBytes, medianStartupMs } from './scenarios/footprint.js';
import type { TeamsBurstFigures } from './scenarios/teams-burst.js';

/** One target of issue #8 or #17, what was measured against it, and whether it was met. */
export interface Verdict {
  target: string;
  measured: string;
  pass: boolean;
}

const MB = 1024 * 1024;

/** Issue #11: a burst to one Teams conversation, against Teams' real windows. */
export function teamsBurstVerdict(figures: TeamsBurstFigures): Verdict {
  const { events, posted, rateLimited, ratePerSecond, shareOf60Per30s, seconds } = figures;
  return {
    target: `Teams: ${events} events to one conversation, 0 × 429, ≥ 90 % of 60 per 30 s`,
    measured: `${posted} posted, ${rateLimited} × 429, ${ratePerSecond.toFixed(2)}/s = ${percent(shareOf60Per30s)} of 2/s (${seconds.toFixed(0)} s virtual)`,
    pass: posted === events && rateLimited === 0 && shareOf60Per30s >= 0.9,
  };
}

/** "Near 0": what polls while nothing happens stays under a thousandth of a core. */
const IDLE_CPU_SHARE = 0.001;

export function verdictsFor(results: StoreResults, baseline: Baseline, plan: Plan): Verdict[] {
  const { ingest, ack, endToEnd, drain, footprint, runningCpu, freshBurstCpu } = results;
  const ingestShare = ingest.requestsPerSecond / baseline.ingest.requestsPerSecond;
  const floorShare = results.floor.requestsPerSecond / baseline.ingest.requestsPerSecond;
  const peakRss = peakRssOf(results);
  const deliveries = [endToEnd, drain];
  const sum = (read: (figures: (typeof deliveries)[number]) => number) =>
    deliveries.reduce((total, figures) => total + read(figures), 0);
  const lost = sum((f) => f.lost + f.dead);
  const duplicated = sum((f) => f.duplicated);
  const unexpected = sum((f) => f.unexpected);
  const failed = ingest.failed + ack.failed + sum((f) => f.failed);
  return [
    {
      target: `ingest ≥ 50 % of bare Fastify's req/s (${plan.connections} connections)`,
      measured:
        `${percent(ingestShare)} (durable-write floor ${percent(floorShare)})` +
        (ingest.repeated > 0 ? `, but ${ingest.repeated} deliveries sent twice` : ''),
      pass: ingestShare >= 0.5 && ingest.repeated === 0,
    },
    {
      target: `p99 acknowledgement ≤ 10 ms at ${plan.ackRatePerSecond} req/s`,
      measured: milliseconds(ack.latency.p99),
      pass: ack.latency.p99 <= 10,
    },
    {
      target: `end-to-end p99 ≤ 150 ms at ${plan.endToEndRatePerSecond} events/s`,
      measured: milliseconds(endToEnd.latency.p99),
      pass: endToEnd.latency.p99 <= 150,
    },
    {
      target: `drain ≥ 95 % of Slack's limit (${plan.drainChannels} channels × 1/s), zero 429s`,
      measured: `${percent(drain.shareOfLimit)}, ${drain.rateLimited} × 429`,
      pass: drain.shareOfLimit >= 0.95 && drain.rateLimited === 0,
    },
    {
      target: 'peak RSS ≤ 200 MB',
      measured: megabytes(peakRss),
      pass: peakRss <= 200 * MB,
    },
    {
      target: `CPU per delivered message ≤ 5 ms at ${plan.cpuRatePerSecond} events/s`,
      measured: `${milliseconds(runningCpu.steady.cpuMsPerMessage)} (first ${plan.cpuWarmUpSeconds} s after a start ${milliseconds(runningCpu.warmUp.cpuMsPerMessage)})`,
      pass: runningCpu.steady.cpuMsPerMessage <= 5,
    },
    {
      target: `CPU per delivered message ≤ 3 ms, burst of ${plan.burstEvents} to ${plan.burstChannels} channels`,
      measured: `${milliseconds(runningCpu.burst.cpuMsPerMessage)} (to a fresh process ${milliseconds(freshBurstCpu.cpuMsPerMessage)})`,
      pass: runningCpu.burst.cpuMsPerMessage <= 3,
    },
    {
      target: 'RSS ≤ 90 MB idle, Slack only',
      measured: megabytes(medianIdleRssBytes(footprint)),
      pass: medianIdleRssBytes(footprint) <= 90 * MB,
    },
    {
      target: 'peak RSS ≤ 130 MB in the burst, Slack only',
      measured: megabytes(freshBurstCpu.peakRssBytes),
      pass: freshBurstCpu.peakRssBytes <= 130 * MB,
    },
    {
      target: `start to a healthy /healthz ≤ 0.8 s, no Teams (median of ${plan.startups})`,
      measured: `${milliseconds(medianStartupMs(footprint))} at load average ${footprint.loadAverage}`,
      pass: medianStartupMs(footprint) <= 800,
    },
    {
      target: `idle CPU ≤ ${percent(IDLE_CPU_SHARE, 1)} of a core`,
      measured: percent(footprint.idleCpuShare, 2),
      pass: footprint.idleCpuShare <= IDLE_CPU_SHARE,
    },
    {
      target: 'zero lost, zero duplicated messages',
      measured: `${lost} lost, ${duplicated} duplicated, ${unexpected} unexpected of ${sum((f) => f.acknowledged)}`,
      pass: lost === 0 && duplicated === 0 && unexpected === 0,
    },
    {
      target: 'every delivery acknowledged (2xx)',
      measured: `${failed} not`,
      pass: failed === 0,
    },
  ];
}
