import { setTimeout as sleep } from 'node:timers/promises';
import { SLACK_RATE_LIMIT } from '../../test/faults/support/fanout.js';
import type { FanoutServer } from '../../test/faults/support/fanout-server.js';
import { presign } from '../../test/faults/support/presigned.js';
import { drive, type Load } from '../drive.js';
import type { Plan } from '../plan.js';
import { cpuMsOf, loadAverage } from '../process-usage.js';
import { type ServerSettings, type WithPeakRss, withServer } from '../server-under-test.js';

/** What the server's CPU did for each message it delivered. */
export interface CpuFigures {
  /** Messages in the fake Slack that this load sent. */
  delivered: number;
  /** CPU of every thread of the server, from the first delivery sent to the last message in Slack, per message. */
  cpuMsPerMessage: number;
  /** The load average at the end (CPU time, unlike wall-clock time, hardly depends on it). */
  loadAverage: number;
}

/** One server under the steady pace, then a burst, each measured on its own. */
export interface RunningServerCpu {
  /** The first `plan.cpuWarmUpSeconds` after the start: the start's one-off costs fall in it. */
  warmUp: CpuFigures;
  /** The steady pace that follows, for `plan.cpuSeconds`. */
  steady: CpuFigures;
  /** A burst of `plan.burstEvents` once the steady pace is over and delivered. */
  burst: CpuFigures;
}

/** Longer than Slack's pace makes any message of these runs wait. */
const SETTLE_MS = 60_000;
/** Between the steady pace and the burst: the last messages' completions are written. */
const PAUSE_MS = 2_000;

type CpuSettings = Omit<ServerSettings, 'channels' | 'slack'>;

const serverFor = (settings: CpuSettings, plan: Plan): ServerSettings => ({
  ...settings,
  channels: plan.burstChannels,
  slack: { rateLimit: SLACK_RATE_LIMIT },
});

/**
 * A running server's CPU per message: events at `plan.cpuRatePerSecond` for
 * `plan.cpuWarmUpSeconds` (the warm-up, reported on its own), then for `plan.cpuSeconds`, then a
 * burst of `plan.burstEvents`. A server runs for days: what each message costs it is what it
 * costs once the start is behind it. The warm-up holds the start's one-offs: V8 compiling the
 * code that turns hot, its memory reducer's full collections some 15 s after start, the first
 * connection to Slack (issue 17, measured: 6.7-7.9 ms a message in the first 15 s, 3.2-3.5 ms
 * after them).
 */
export function measureRunningServerCpu(
  settings: CpuSettings,
  plan: Plan,
): Promise<WithPeakRss<RunningServerCpu>> {
  return withServer(serverFor(settings, plan), async (server) => {
    // A second more than asked, as in the other fixed-rate runs: none is sent twice.
    const atPace = (seconds: number) =>
      measureLoad(server, plan, plan.cpuRatePerSecond * (seconds + 1), {
        ratePerSecond: plan.cpuRatePerSecond,
        seconds,
      });
    const warmUp = await atPace(plan.cpuWarmUpSeconds);
    const steady = await atPace(plan.cpuSeconds);
    await sleep(PAUSE_MS);
    const burst = await measureLoad(server, plan, plan.burstEvents, burstLoad(plan));
    return { warmUp, steady, burst };
  });
}

/**
 * `plan.burstEvents` events sent as fast as the server takes them to a fresh process, over
 * `plan.burstChannels` channels, delivered at Slack's pace: the peak RSS of a burst, and its CPU
 * per message with the start's one-offs in it.
 */
export function measureFreshBurstCpu(settings: CpuSettings, plan: Plan): Promise<WithPeakRss<CpuFigures>> {
  return withServer(serverFor(settings, plan), (server) =>
    measureLoad(server, plan, plan.burstEvents, burstLoad(plan)),
  );
}

const burstLoad = (plan: Plan): Load => ({ connections: plan.connections, once: true });

async function measureLoad(
  server: FanoutServer,
  plan: Plan,
  events: number,
  load: Load,
): Promise<CpuFigures> {
  const deliveries = presign(events, plan.burstChannels);
  const pid = server.process.child.pid as number;
  const before = cpuMsOf(pid);
  const already = server.slack.messages.length;
  const sent = await drive({ url: server.webhookUrl, deliveries, load });
  await allDelivered(server, already + sent.acknowledged.length);
  const delivered = server.slack.messages.length - already;
  return {
    delivered,
    cpuMsPerMessage: (cpuMsOf(pid) - before) / delivered,
    loadAverage: loadAverage(),
  };
}

/**
 * Waits, in this process, until the fake Slack holds `count` messages: asking the server
 * (/metrics) would add its own CPU to what is measured.
 */
async function allDelivered(server: FanoutServer, count: number): Promise<void> {
  const deadline = Date.now() + SETTLE_MS;
  while (server.slack.messages.length < count) {
    if (Date.now() > deadline)
      throw new Error(`${server.slack.messages.length} of ${count} messages after ${SETTLE_MS} ms`);
    await sleep(10);
  }
}
