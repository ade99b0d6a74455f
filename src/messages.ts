/**
 * The messages credo-notify sends, one type per chat platform. Templates render them
 * (render/) and notifiers send them (notify/): both sides import them from here.
 */

/** A chat platform: which templates render a destination's message, and which bot reaches people. */
export type Platform = 'slack' | 'teams';

/** A Slack chat.postMessage body, less the channel. */
export interface SlackMessage {
  text: string;
  blocks: SlackBlock[];
}
export type SlackBlock = { type: string } & Record<string, unknown>;

/** An Adaptive Card (version 1.5) for Teams, its mention entities included. */
export type TeamsCard = {
  type: 'AdaptiveCard';
  version: string;
  body: Array<Record<string, unknown>>;
} & Record<string, unknown>;

/** The message each platform's templates render and its notifiers take. */
export interface MessageOf {
  slack: SlackMessage;
  teams: TeamsCard;
}

export const PLATFORMS: readonly Platform[] = ['slack', 'teams'];
