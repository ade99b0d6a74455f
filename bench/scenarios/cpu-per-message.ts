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
  /** Messages in the fake Slack at the end. */
  delivered: number;
  /** CPU of every thread of the server, from the first delivery sent to the last message in Slack, per message. */
  cpuMsPerMessage: number;
  /** The load average at the end (CPU time, unlike wall-clock time, hardly depends on it). */
  loadAverage: number;
}

/** Longer than Slack's pace makes any message of these runs wait. */
const SETTLE_MS = 60_000;

/**
 * Events at `plan.cpuRatePerSecond` for `plan.cpuSeconds`, over `plan.burstChannels` channels:
 * the server's CPU per delivered message at the steady pace of a busy governance team.
 */
export function measureSteadyCpu(
  settings: Omit<ServerSettings, 'channels' | 'slack'>,
  plan: Plan,
): Promise<WithPeakRss<CpuFigures>> {
  // A second more than asked, as in the other fixed-rate runs: none is sent twice.
  const events = plan.cpuRatePerSecond * (plan.cpuSeconds + 1);
  return measureCpu(settings, plan.burstChannels, events, {
    ratePerSecond: plan.cpuRatePerSecond,
    seconds: plan.cpuSeconds,
  });
}

/**
 * `plan.burstEvents` events sent as fast as the server takes them, over `plan.burstChannels`
 * channels, delivered at Slack's pace: CPU per message, and (on a fresh process) the peak RSS.
 */
export function measureBurstCpu(
  settings: Omit<ServerSettings, 'channels' | 'slack'>,
  plan: Plan,
): Promise<WithPeakRss<CpuFigures>> {
  return measureCpu(settings, plan.burstChannels, plan.burstEvents, {
    connections: plan.connections,
    once: true,
  });
}

function measureCpu(
  settings: Omit<ServerSettings, 'channels' | 'slack'>,
  channels: number,
  events: number,
  load: Load,
): Promise<WithPeakRss<CpuFigures>> {
  return withServer({ ...settings, channels, slack: { rateLimit: SLACK_RATE_LIMIT } }, async (server) => {
    const deliveries = presign(events, channels);
    const pid = server.process.child.pid as number;
    const before = cpuMsOf(pid);
    const sent = await drive({ url: server.webhookUrl, deliveries, load });
    await allDelivered(server, sent.acknowledged.length);
    const delivered = server.slack.messages.length;
    return {
      delivered,
      cpuMsPerMessage: (cpuMsOf(pid) - before) / delivered,
      loadAverage: loadAverage(),
    };
  });
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
