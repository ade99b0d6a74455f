import { type BaselineServer, startBareFastify, startFloor } from './baseline-process.js';
import { type BenchOptions, parseBenchOptions, USAGE, UsageError } from './plan.js';
import { loadAverage } from './process-usage.js';
import { printResults } from './report.js';
import type { Baseline, StoreResults } from './results.js';
import { measureFreshBurstCpu, measureRunningServerCpu } from './scenarios/cpu-per-message.js';
import { measureDrain } from './scenarios/drain.js';
import { measureEndToEnd } from './scenarios/end-to-end.js';
import { measureFootprint } from './scenarios/footprint.js';
import { measureMixedLoad, mixedLoadVerdicts, printMixedLoad } from './scenarios/mixed-load.js';
import { measureOutage, outageVerdicts, printOutage } from './scenarios/outage.js';
import { measureAckLatency, measureIngest } from './scenarios/request-load.js';
import { measureTeamsBurst } from './scenarios/teams-burst.js';
import { withServer } from './server-under-test.js';
import { postgresTarget, type StoreKind, type StoreTarget, sqliteTarget } from './stores.js';
import { teamsBurstVerdict, verdictsFor } from './targets.js';

/**
 * `npm run bench`: credo-notify against a bare Fastify route on the same machine in the same run,
 * then end-to-end latency, backlog drain, start-up, idle and per-message CPU and memory, each with
 * a verdict against the targets of issues #8 and #17. Exits 1 when any target is missed.
 */
async function main(options: BenchOptions): Promise<boolean> {
  const { plan } = options;
  progress('bare Fastify baseline');
  const baseline = await measureBaseline(options);
  let allPass = true;
  for (const kind of options.stores) {
    const store = await openTarget(kind);
    if (!store) {
      process.stdout.write(
        `\nno PostgreSQL: set DATABASE_URL or TEST_DATABASE_URL, or install PostgreSQL 15\n`,
      );
      allPass = false;
      continue;
    }
    try {
      const results = await measureStore(store, options);
      const verdicts = verdictsFor(results, baseline, plan);
      printResults(results, baseline, plan, verdicts);
      allPass &&= verdicts.every((verdict) => verdict.pass);
      progress(`${kind}: recovery after an outage`);
      const outage = await measureOutage({ store, logLevel: options.logLevel });
      const outageVerdictList = outageVerdicts(outage);
      printOutage(kind, outageVerdictList);
      allPass &&= outageVerdictList.every((verdict) => verdict.pass);
      progress(`${kind}: mixed load`);
      const mixed = await measureMixedLoad({ store, logLevel: options.logLevel }, plan);
      const mixedVerdictList = mixedLoadVerdicts(mixed, plan);
      printMixedLoad(kind, mixedVerdictList);
      allPass &&= mixedVerdictList.every((verdict) => verdict.pass);
    } finally {
      await store.close();
    }
  }
  progress(`Teams: ${plan.teamsBurstEvents} events to one conversation, real windows, virtual time`);
  const teams = teamsBurstVerdict(await measureTeamsBurst(plan.teamsBurstEvents));
  process.stdout.write(`\n  ${teams.pass ? 'PASS' : 'FAIL'}  ${teams.target.padEnd(62)} ${teams.measured}\n`);
  return allPass && teams.pass;
}

function measureBaseline({ plan }: BenchOptions): Promise<Baseline> {
  return withBaseline(startBareFastify(), async (bare) => ({
    ingest: await measureIngest(bare.webhookUrl, plan, true),
    ack: await measureAckLatency(bare.webhookUrl, plan, true),
  }));
}

async function withBaseline<T>(
  starting: Promise<BaselineServer>,
  measure: (server: BaselineServer) => Promise<T>,
): Promise<T> {
  const server = await starting;
  try {
    return await measure(server);
  } finally {
    await server.stop();
  }
}

async function measureStore(store: StoreTarget, options: BenchOptions): Promise<StoreResults> {
  const { plan } = options;
  const server = {
    store,
    channels: plan.ingestChannels,
    logLevel: options.logLevel,
    cpuProfileDir: options.cpuProfileDir,
  };
  progress(`${store.kind}: ingest`);
  const ingest = await withServer(server, (s) => measureIngest(s.webhookUrl, plan, false));
  progress(`${store.kind}: ingest floor`);
  const floor = await withBaseline(startFloor(store), (s) => measureIngest(s.webhookUrl, plan, false));
  progress(`${store.kind}: acknowledgement latency`);
  const ack = await withServer(server, (s) => measureAckLatency(s.webhookUrl, plan, false));
  progress(`${store.kind}: end to end`);
  const endToEnd = await measureEndToEnd(server, plan);
  progress(`${store.kind}: drain`);
  const drain = await measureDrain(server, plan);
  progress(`${store.kind}: start-up and idle`);
  const footprint = await measureFootprint(server, plan);
  progress(`${store.kind}: CPU per message, warm-up, steady pace and burst`);
  const runningCpu = await measureRunningServerCpu(server, plan);
  progress(`${store.kind}: CPU per message and peak RSS, burst to a fresh process`);
  const freshBurstCpu = await measureFreshBurstCpu(server, plan);
  return { store: store.kind, ingest, floor, ack, endToEnd, drain, footprint, runningCpu, freshBurstCpu };
}

function openTarget(kind: StoreKind): Promise<StoreTarget | undefined> {
  return kind === 'sqlite' ? Promise.resolve(sqliteTarget) : postgresTarget();
}

function progress(step: string): void {
  process.stderr.write(`bench: ${step} (load average ${loadAverage()})…\n`);
}

try {
  const options = parseBenchOptions(process.argv.slice(2));
  if (options.help) {
    process.stdout.write(`${USAGE}\n`);
    process.exit(0);
  }
  process.exit((await main(options)) ? 0 : 1);
} catch (error) {
  if (!(error instanceof UsageError)) throw error;
  process.stderr.write(`${error.message}\n\n${USAGE}\n`);
  process.exit(2);
}
