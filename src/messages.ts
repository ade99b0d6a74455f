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

/**
 * The Adaptive Card versions credo-notify writes. Its own Teams bot displays 1.5. Power
 * Automate's Flow bot, which posts a Workflows webhook's cards, displays 1.4 at most: a 1.5 card
 * shows as "We're sorry, this card couldn't be displayed" while the webhook still answers 202
 * (microsoft/AdaptiveCards#8965 and #7676, MicrosoftDocs/msteams-docs#9801).
 */
export type CardVersion = '1.4' | '1.5';

/** An Adaptive Card for Teams, at the version its destination displays, its mention entities included. */
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
