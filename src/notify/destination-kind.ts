import type { z } from 'zod';
import type { CardVersion, MessageOf, Platform } from '../messages.js';
import type { Notifier } from './notifier.js';
import type { RateWindow } from './pacing.js';

/** What a kind of destination can do with the messages it sends. */
export interface Capabilities {
  /** Reply under an earlier message: `thread:` routes make threads there. */
  thread: boolean;
  /** Replace an earlier message in place: a thread's parent shows the newest status. */
  update: boolean;
  /** Mention people so that they are notified (`<@U…>`, Teams mention entities). */
  mention: boolean;
  /** Find the message an earlier attempt of a job posted, so a retry does not post it twice. */
  findEarlierPost: boolean;
}

/**
 * One kind of destination (`slack`, `teamsWorkflow`...): everything credo-notify needs to know
 * of it, defined in its own folder and listed once in kinds.ts.
 */
export interface DestinationKind<Settings, P extends Platform, Deps> {
  /** Its settings in the config, under `destinations.<name>.<kind>`. */
  settings: z.ZodType<Settings>;
  /** Whose templates render its messages. */
  platform: P;
  /**
   * Teams kinds: the newest Adaptive Card version that the bot posting its cards displays (the
   * renderer writes and checks the card at it). Absent: the credo-notify bot's, 1.5.
   */
  cardVersion?: CardVersion;
  /** How fast one destination of this kind may be written to. */
  pacing: readonly RateWindow[];
  can: Capabilities;
  /** The credo-notify bot it sends through, when it sends through one (`slack.botToken`, the Teams bot). */
  bot?: Platform;
  /** Where on that bot it sends: a Slack channel, a Teams conversation id or alias. */
  address?: (settings: Settings) => string;
  /**
   * The reverse of `address`: the settings that send to a place on the bot, for destinations
   * made from a chat (a subscription) rather than the config. Absent: none can be.
   */
  addressed?: (address: string) => Settings;
  notifier(settings: Settings, deps: Deps): Notifier<MessageOf[P]>;
}

/** Checks a kind's definition, keeping its exact types. */
export function defineKind<Settings, P extends Platform, Deps>(
  kind: DestinationKind<Settings, P, Deps>,
): DestinationKind<Settings, P, Deps> {
  return kind;
}
