import { cpus, release, totalmem, type } from 'node:os';
import { megabytes, milliseconds, percent } from './format.js';
import type { Plan } from './plan.js';
import { type Baseline, peakRssOf, type StoreResults } from './results.js';
import type { CpuFigures } from './scenarios/cpu-per-message.js';
import { medianIdleRssBytes, medianStartupMs } from './scenarios/footprint.js';
import type { LoadFigures } from './scenarios/request-load.js';
import type { Verdict } from './targets.js';

const GB = 1024 ** 3;

/** The machine the numbers come from: they mean little without it. */
export function describeMachine(): string {
  const cores = cpus();
  const model = cores[0]?.model.trim() ?? 'unknown CPU';
  return `${type()} ${release()} · ${cores.length} × ${model} · ${(totalmem() / GB).toFixed(0)} GB RAM · Node ${process.version}`;
}

export function printResults(
  results: StoreResults,
  baseline: Baseline,
  plan: Plan,
  verdicts: Verdict[],
): void {
  const { ingest, floor, ack, endToEnd, drain, footprint, runningCpu, freshBurstCpu } = results;
  const ofBare = (figures: LoadFigures) =>
    `${percent(figures.requestsPerSecond / baseline.ingest.requestsPerSecond)} of bare`;
  const lines = [
    '',
    `credo-notify bench, ${results.store} store${plan.short ? ' (short run: checks the harness, not the numbers)' : ''}`,
    `${describeMachine()}; load generator, fake Slack and servers share it`,
    '',
    row('', '', 'req/s', 'p50', 'p99', 'load average at the end of each figure in [ ]'),
    loadRow(
      `ingest, ${plan.connections} connections`,
      'bare Fastify',
      baseline.ingest,
      `${plan.ingestChannels} channels`,
    ),
    loadRow('', 'credo-notify', ingest, ofBare(ingest)),
    loadRow('', 'floor', floor, `${ofBare(floor)}: signature check and durable write only`),
    loadRow(`steady ${plan.ackRatePerSecond} req/s`, 'bare Fastify', baseline.ack),
    loadRow('', 'credo-notify', ack, `after ${plan.steadyWarmUpSeconds} s warm-up`),
    row(
      `end to end, ${plan.endToEndRatePerSecond} events/s`,
      'credo-notify',
      '',
      milliseconds(endToEnd.latency.p50),
      milliseconds(endToEnd.latency.p99),
      `sent → in the fake Slack; ${plan.endToEndChannels} channels, after ${plan.steadyWarmUpSeconds} s warm-up`,
    ),
    row(
      `drain ${plan.drainEvents} events`,
      `${plan.drainChannels} channels`,
      `${drain.seconds.toFixed(1)} s`,
      '',
      '',
      `${percent(drain.shareOfLimit)} of Slack's limit, ${drain.rateLimited} × 429`,
    ),
    row(
      'peak RSS',
      'credo-notify',
      megabytes(peakRssOf(results)),
      '',
      '',
      `ingest ${megabytes(ingest.peakRssBytes)}, steady ${megabytes(ack.peakRssBytes)}, end to end ${megabytes(endToEnd.peakRssBytes)}, drain ${megabytes(drain.peakRssBytes)}`,
    ),
    row(
      `start to /healthz, ×${plan.startups}`,
      'Slack only',
      milliseconds(medianStartupMs(footprint)),
      '',
      '',
      `median of ${footprint.startupsMs.map((ms) => ms.toFixed(0)).join(', ')} ms [${footprint.loadAverage}]`,
    ),
    row(
      'idle',
      'Slack only',
      megabytes(medianIdleRssBytes(footprint)),
      '',
      '',
      `RSS, median of the starts; CPU ${percent(footprint.idleCpuShare, 2)} of a core over ${plan.idleSeconds} s once settled, ${footprint.startTailCpuMs.toFixed(0)} ms in the start's tail before`,
    ),
    cpuRow(
      `${plan.cpuRatePerSecond} events/s, first ${plan.cpuWarmUpSeconds} s`,
      runningCpu.warmUp,
      "from the start: V8's compiling and memory reducer, the first connections",
    ),
    cpuRow(
      `${plan.cpuRatePerSecond} events/s, ${plan.cpuSeconds} s`,
      runningCpu.steady,
      `after those ${plan.cpuWarmUpSeconds} s`,
    ),
    cpuRow(
      `burst of ${plan.burstEvents}`,
      runningCpu.burst,
      `next, on the same server; its peak RSS ${megabytes(runningCpu.peakRssBytes)}`,
    ),
    cpuRow(
      `burst of ${plan.burstEvents}, fresh`,
      freshBurstCpu,
      `to a process just started; peak RSS ${megabytes(freshBurstCpu.peakRssBytes)}`,
    ),
    '',
    ...verdicts.map(verdictLine),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

/** `  PASS  <target>  <measured>`: how every verdict is printed. */
export function verdictLine(verdict: Verdict): string {
  return `  ${verdict.pass ? 'PASS' : 'FAIL'}  ${verdict.target.padEnd(62)} ${verdict.measured}`;
}

function loadRow(scenario: string, server: string, figures: LoadFigures, note = ''): string {
  return row(
    scenario,
    server,
    Math.round(figures.requestsPerSecond).toLocaleString('en'),
    milliseconds(figures.latency.p50),
    milliseconds(figures.latency.p99),
    `${note} [${figures.loadAverage}]`.trimStart(),
  );
}

function cpuRow(scenario: string, figures: CpuFigures, note: string): string {
  return row(
    scenario,
    'CPU/message',
    milliseconds(figures.cpuMsPerMessage),
    '',
    '',
    `${figures.delivered} messages, every thread's CPU, ${note} [${figures.loadAverage}]`,
  );
}

function row(scenario: string, server: string, rate = '', p50 = '', p99 = '', note = ''): string {
  return `  ${scenario.padEnd(28)}${server.padEnd(14)}${rate.padStart(9)}${p50.padStart(10)}${p99.padStart(10)}   ${note}`.trimEnd();
}
