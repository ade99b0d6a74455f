import { loadavg } from 'node:os';
import { SLACK_RATE_LIMIT } from '../../test/faults/support/fanout.js';
import { milliseconds } from '../format.js';
import type { Plan } from '../plan.js';
import { verdictLine } from '../report.js';
import { type ServerSettings, withServer } from '../server-under-test.js';
import type { Verdict } from '../targets.js';
import { measureEndToEnd } from './end-to-end.js';
import { type LoadFigures, measureAckLatency } from './request-load.js';

/**
 * Issue #17's mixed load: so many channels that the worker posts at full speed (Slack's one
 * message per second per channel, in each of them) while the deliveries come.
 */
const CHANNELS = 400;
const TARGET_ACK_P99_MS = 25;
const TARGET_END_TO_END_P99_MS = 100;

export interface MixedLoadFigures {
  ack: LoadFigures;
  /** The server's event-loop delay over the acknowledgement run (prom-client's histogram). */
  loopDelayP99Ms: number;
  loopDelayMaxMs: number;
  endToEndP99Ms: number;
  /** The 1-minute load average after each run: the machine is shared. */
  loadAverage: { ack: number; endToEnd: number };
}

/**
 * The bench's own end-to-end run spreads 200 events/s over 250 channels and its acknowledgement
 * run 500 req/s over 20: with 20 channels the worker sends only 20 messages a second, and the
 * acknowledgements hardly compete with it. Here both run over 400 channels.
 */
export async function measureMixedLoad(
  settings: Omit<ServerSettings, 'channels' | 'slack'>,
  plan: Plan,
): Promise<MixedLoadFigures> {
  const slack = { rateLimit: SLACK_RATE_LIMIT };
  const acked = await withServer({ ...settings, channels: CHANNELS, slack }, async (server) => {
    const ack = await measureAckLatency(server.webhookUrl, { ...plan, ingestChannels: CHANNELS }, false);
    // Read once, after the run: prom-client's histogram covers the time since its last read.
    const loop = await loopDelay(server.baseUrl);
    return { ack, loop, loadAverage: loadavg()[0] ?? 0 };
  });
  const endToEnd = await measureEndToEnd(settings, { ...plan, endToEndChannels: CHANNELS });
  return {
    ack: acked.ack,
    loopDelayP99Ms: acked.loop.p99Ms,
    loopDelayMaxMs: acked.loop.maxMs,
    endToEndP99Ms: endToEnd.latency.p99,
    loadAverage: { ack: acked.loadAverage, endToEnd: loadavg()[0] ?? 0 },
  };
}

/** The event-loop delay gauges of the server's /metrics, in ms. */
async function loopDelay(baseUrl: string): Promise<{ p99Ms: number; maxMs: number }> {
  const text = await (await fetch(`${baseUrl}/metrics`)).text();
  const gauge = (name: string) => {
    const line = text.split('\n').find((candidate) => candidate.startsWith(`credo_notify_${name} `));
    return Number(line?.split(' ')[1] ?? Number.NaN) * 1000;
  };
  return {
    p99Ms: gauge('nodejs_eventloop_lag_p99_seconds'),
    maxMs: gauge('nodejs_eventloop_lag_max_seconds'),
  };
}

export function mixedLoadVerdicts(figures: MixedLoadFigures, plan: Plan): Verdict[] {
  return [
    {
      target: `p99 ack ≤ ${TARGET_ACK_P99_MS} ms at ${plan.ackRatePerSecond} req/s over ${CHANNELS} channels`,
      measured: `${milliseconds(figures.ack.latency.p99)}; loop delay p99 ${milliseconds(figures.loopDelayP99Ms)}, max ${milliseconds(figures.loopDelayMaxMs)} [load ${figures.loadAverage.ack.toFixed(1)}]`,
      pass: figures.ack.latency.p99 <= TARGET_ACK_P99_MS && figures.ack.failed === 0,
    },
    {
      target: `end-to-end p99 ≤ ${TARGET_END_TO_END_P99_MS} ms at ${plan.endToEndRatePerSecond} events/s over ${CHANNELS} channels`,
      measured: `${milliseconds(figures.endToEndP99Ms)} [load ${figures.loadAverage.endToEnd.toFixed(1)}]`,
      pass: figures.endToEndP99Ms <= TARGET_END_TO_END_P99_MS,
    },
  ];
}

export function printMixedLoad(store: string, verdicts: Verdict[]): void {
  const lines = [
    '',
    `mixed load, ${store} store: the worker posting to ${CHANNELS} channels at Slack's pace meanwhile`,
    ...verdicts.map(verdictLine),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}
