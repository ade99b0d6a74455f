import { setTimeout as sleep } from 'node:timers/promises';
import { SLACK_RATE_LIMIT } from '../../test/faults/support/fanout.js';
import { presign } from '../../test/faults/support/presigned.js';
import { verdictLine } from '../report.js';
import { type ServerSettings, type WithPeakRss, withServer } from '../server-under-test.js';
import type { Verdict } from '../targets.js';
import { type DeliveryFigures, settleDeliveries } from './delivered.js';

/** Issue #17's setup: 20 events held by a 30 s Slack outage. */
const OUTAGE_MS = 30_000;
const EVENTS = 20;
/** A few channels, five events each: Slack's pace per channel is part of what is measured. */
const CHANNELS = 4;
const TARGET_LAST_MS = 25_000;
const TARGET_CALLS = 20;

export interface OutageFigures extends DeliveryFigures {
  /** Requests that reached Slack while it was down (answered 503): what the outage cost it. */
  callsDuringOutage: number;
  /** From the outage's end to the last of the held messages at the fake Slack. */
  lastAfterEndMs: number;
}

/**
 * Real time, real process: Slack answers 503 to everything for 30 s, as in one of its
 * incidents; the events come during its first half. Then Slack is back, with its limit of one
 * message per second per channel (429 beyond), and the held messages must all arrive soon.
 */
export function measureOutage(
  settings: Omit<ServerSettings, 'channels' | 'slack'>,
): Promise<WithPeakRss<OutageFigures>> {
  const slack = { rateLimit: SLACK_RATE_LIMIT };
  return withServer({ ...settings, channels: CHANNELS, slack }, async (server) => {
    const deliveries = presign(EVENTS, CHANNELS);
    server.slack.setDown('unavailable');
    const end = Date.now() + OUTAGE_MS;
    const acknowledged = [];
    let failed = 0;
    for (const delivery of deliveries) {
      const answer = await fetch(server.webhookUrl, {
        method: 'POST',
        headers: delivery.headers,
        body: delivery.body,
      }).catch(() => undefined);
      if (answer?.ok) acknowledged.push(delivery);
      else failed += 1;
      await sleep(OUTAGE_MS / 2 / EVENTS);
    }
    await sleep(end - Date.now());
    const callsDuringOutage = server.slack.refusedCount;
    server.slack.setDown(false);
    const { figures, audit } = await settleDeliveries(server, deliveries, { acknowledged, failed }, 120_000);
    const lastAfterEndMs = Math.max(...audit.arrivals.values()) - end;
    return { ...figures, callsDuringOutage, lastAfterEndMs };
  });
}

export function outageVerdicts(figures: OutageFigures): Verdict[] {
  const wrong = figures.lost + figures.dead + figures.duplicated + figures.unexpected + figures.failed;
  return [
    {
      target: `last of ${EVENTS} messages ≤ ${TARGET_LAST_MS / 1000} s after a ${OUTAGE_MS / 1000} s outage (${CHANNELS} channels)`,
      measured: `${(figures.lastAfterEndMs / 1000).toFixed(1)} s`,
      pass: figures.lastAfterEndMs <= TARGET_LAST_MS,
    },
    {
      target: `≤ ${TARGET_CALLS} calls to Slack during that outage, zero lost or duplicated`,
      measured: `${figures.callsDuringOutage} calls, ${wrong} lost, dead, duplicated or unacknowledged, ${figures.rateLimited} × 429`,
      pass: figures.callsDuringOutage <= TARGET_CALLS && wrong === 0,
    },
  ];
}

/** Its own block, after a store's table: the lines and the verdicts of the outage run. */
export function printOutage(store: string, verdicts: Verdict[]): void {
  const lines = [
    '',
    `recovery after a Slack outage, ${store} store: Slack answers 503 for ${OUTAGE_MS / 1000} s, then 1 message/s/channel`,
    ...verdicts.map(verdictLine),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}
