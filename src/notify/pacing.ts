/**
 * How fast a destination may be written to: at most `limit` sends in any `perMs` window. A
 * pacing policy is a set of windows, all enforced at once (Teams, say, counts per second and
 * per hour); an empty one sends as fast as the queue allows.
 */
export interface RateWindow {
  limit: number;
  perMs: number;
}

/** Slack allows about one message per second per channel, and per person in a DM. */
export const SLACK_PACING: readonly RateWindow[] = [{ limit: 1, perMs: 1_000 }];

/**
 * What Teams allows one bot in one conversation, every window at once: 7 per second, 8 per 2 s,
 * 60 per 30 s and 1,800 per hour. Every call counts (a post, a reply, an update).
 * https://learn.microsoft.com/microsoftteams/platform/bots/how-to/rate-limit (per bot per thread)
 */
export const TEAMS_BOT_PACING: readonly RateWindow[] = [
  { limit: 7, perMs: 1_000 },
  { limit: 8, perMs: 2_000 },
  { limit: 60, perMs: 30_000 },
  { limit: 1_800, perMs: 3_600_000 },
];

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

export const NO_PACING: readonly RateWindow[] = [];
