import { SLACK_RATE_LIMIT } from '../../test/faults/support/fanout.js';
import { presign } from '../../test/faults/support/presigned.js';
import { drive } from '../drive.js';
import type { Plan } from '../plan.js';
import { type ServerSettings, type WithPeakRss, withServer } from '../server-under-test.js';
import { type DeliveryFigures, settleDeliveries } from './delivered.js';

export interface DrainFigures extends DeliveryFigures {
  /** From the first delivery sent to the last message at the fake Slack. */
  seconds: number;
  /** The drain rate as a share of what Slack allows (1 message per second per channel). */
  shareOfLimit: number;
}

/**
 * A backlog sent as fast as the server takes it, to few channels, each limited by the fake Slack
 * to one message per second (429 with Retry-After beyond). Each channel's first message may go
 * at once; the rate counts the messages after those, so perfect pacing scores exactly 100 %.
 */
export function measureDrain(
  settings: Omit<ServerSettings, 'channels' | 'slack'>,
  plan: Plan,
): Promise<WithPeakRss<DrainFigures>> {
  const channels = plan.drainChannels;
  return withServer({ ...settings, channels, slack: { rateLimit: SLACK_RATE_LIMIT } }, async (server) => {
    const deliveries = presign(plan.drainEvents, channels);
    const started = Date.now();
    const sent = await drive({
      url: server.webhookUrl,
      deliveries,
      load: { connections: plan.connections, once: true },
    });
    const idealSeconds = Math.ceil(plan.drainEvents / channels) - 1;
    const { figures, audit } = await settleDeliveries(
      server,
      deliveries,
      sent,
      2 * idealSeconds * 1000 + 60_000,
    );
    const seconds = (Math.max(...audit.arrivals.values()) - started) / 1000;
    const ratePerSecond = (audit.arrivals.size - channels) / seconds;
    return { ...figures, seconds, shareOfLimit: ratePerSecond / channels };
  });
}
