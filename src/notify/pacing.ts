/**
 * How fast a destination may be written to: at most `limit` sends in any `perMs` window. A
 * pacing policy is a set of windows, all enforced at once (Teams, say, counts per second and
 * per hour); an empty one sends as fast as the queue allows.
 */
export interface RateWindow {
  limit: number;
  perMs: number;
}

/** Slack allows about one message per second per channel (and per person). */
export const SLACK_PACING: readonly RateWindow[] = [{ limit: 1, perMs: 1_000 }];

/** Teams allows about 7 per second per conversation: one per 150 ms is 6.7, under it. */
export const TEAMS_BOT_PACING: readonly RateWindow[] = [{ limit: 1, perMs: 150 }];

/** Like a Slack channel: about one message per second to each person, on either platform. */
export const DIRECT_MESSAGE_PACING: readonly RateWindow[] = [{ limit: 1, perMs: 1_000 }];

export const NO_PACING: readonly RateWindow[] = [];
