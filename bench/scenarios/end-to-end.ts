import { SLACK_RATE_LIMIT } from '../../test/faults/support/fanout.js';
import { presign } from '../../test/faults/support/presigned.js';
import { drive } from '../drive.js';
import { type LatencySummary, summarize } from '../latency.js';
import type { Plan } from '../plan.js';
import { type ServerSettings, type WithPeakRss, withServer } from '../server-under-test.js';
import { type DeliveryFigures, settleDeliveries } from './delivered.js';

export interface EndToEndFigures extends DeliveryFigures {
  /** From sending a delivery to the fake Slack having its message, in ms. */
  latency: LatencySummary;
}

/** Time for the last messages after the load stops; Slack's pace makes nothing wait longer than this. */
const SETTLE_MS = 60_000;

/**
 * Deliveries at a steady rate, round-robin over many channels, to a fake Slack enforcing one
 * message per second per channel. The clock starts when a delivery is sent, a little before
 * the server has it, so the figure is an upper bound.
 */
export function measureEndToEnd(
  settings: Omit<ServerSettings, 'channels' | 'slack'>,
  plan: Plan,
): Promise<WithPeakRss<EndToEndFigures>> {
  const channels = plan.endToEndChannels;
  return withServer({ ...settings, channels, slack: { rateLimit: SLACK_RATE_LIMIT } }, async (server) => {
    const { endToEndRatePerSecond: ratePerSecond, endToEndSeconds: seconds, steadyWarmUpSeconds } = plan;
    const run = async (runSeconds: number) => {
      const deliveries = presign(Math.ceil(ratePerSecond * (runSeconds + 1)), channels);
      return {
        deliveries,
        sent: await drive({
          url: server.webhookUrl,
          deliveries,
          load: { ratePerSecond, seconds: runSeconds },
        }),
      };
    };
    // Warmed up like the other measurements (see Plan.steadyWarmUpSeconds). The warm-up's
    // messages are owed all the same, and counted as lost or duplicated.
    const warm = await run(steadyWarmUpSeconds);
    const { deliveries, sent } = await run(seconds);
    const { figures, audit } = await settleDeliveries(
      server,
      [...warm.deliveries, ...deliveries],
      {
        acknowledged: [...warm.sent.acknowledged, ...sent.acknowledged],
        failed: warm.sent.failed + sent.failed,
      },
      SETTLE_MS,
    );
    const latencies = [...audit.arrivals]
      .filter(([id]) => sent.sentAt.has(id))
      .map(([id, at]) => at - (sent.sentAt.get(id) as number));
    return { ...figures, latency: summarize(latencies) };
  });
}
