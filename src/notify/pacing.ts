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

/**
 * A Teams Workflows webhook: at most one post per second. Microsoft documents 4 per second
 * (and 60 per 30 s) for what posts through a channel webhook, throttled "until the window
 * refreshes" (msteams-docs webhooks-and-connectors/how-to/add-incoming-webhook.md and
 * connectors-using.md, "Rate limiting for connectors"); and each post is a run of the flow, whose
 * Power Automate actions count against its owner's request limits; a flow throttled 14 days
 * running is turned off (power-automate/guidance/coding-guidelines/understand-limits). A
 * throttled run fails after the 202, where credo-notify cannot see it, so it stays well under.
 */
export const TEAMS_WORKFLOW_PACING: readonly RateWindow[] = [{ limit: 1, perMs: 1_000 }];

/** Like a Slack channel: about one message per second to each person, on either platform. */
export const DIRECT_MESSAGE_PACING: readonly RateWindow[] = [{ limit: 1, perMs: 1_000 }];

export const NO_PACING: readonly RateWindow[] = [];
