import type { HelperDelegate, HelperOptions } from 'handlebars';
import { cardVersionAtLeast } from './card-version.js';
import { trusted } from './escape-hook.js';
import type { TextPart } from './mentions.js';
import type { PersonView } from './person-view.js';
import { escapeJsonString } from './slack-escape.js';
import { teamsText } from './teams-escape.js';
import { mentionMarkup } from './teams-mentions.js';

/**
 * Helpers that write Teams markup around untrusted text, named as the Slack ones are so that
 * templates read the same. Each returns trusted output: the markup is ours, every piece of event
 * text inside it is escaped.
 */

/** `<at>Name</at>` when Teams can ping them (the renderer adds the entity), else their name in bold. */
export function teamsMention(person: PersonView): string {
  const markup = mentionMarkup(person);
  return markup === undefined ? `**${teamsText(person.label)}**` : escapeJsonString(markup);
}

/** A URL that cannot end a markdown link early or leave its JSON string. */
export function safeUrl(url: string): string {
  return escapeJsonString(url.replace(/[()<>\s]/g, encodeURIComponent));
}

/** `[label](url)`. */
export function teamsLink(url: string, label: string): string {
  return `[${teamsText(label)}](${safeUrl(url)})`;
}

function richText(parts: TextPart[]): string {
  return parts.map((part) => ('person' in part ? teamsMention(part.person) : teamsText(part.text))).join('');
}

/** For texts that show no markup (fallbackText, notifications): mentions as `@Name`. */
function plainText(parts: TextPart[]): string {
  return teamsText(parts.map((part) => ('person' in part ? `@${part.person.label}` : part.text)).join(''));
}

/**
 * `{{#since "1.5"}}…{{else}}…{{/since}}`: the block only where the card is rendered at that
 * Adaptive Card version or later (`@cardVersion`: 1.4 for Workflows, 1.5 for the bot), so one
 * template serves both.
 */
function since(this: unknown, version: unknown, options: HelperOptions): string {
  const target = String((options.data as { cardVersion?: unknown }).cardVersion);
  return cardVersionAtLeast(target, String(version)) ? options.fn(this) : options.inverse(this);
}

export const teamsHelpers: Record<string, HelperDelegate> = {
  since,
  /** `{{mention assignee}}`: pings them when Teams knows them, else their name in bold. */
  mention: (person: PersonView | null) => trusted(person ? teamsMention(person) : ''),
  /** `{{link useCase.url useCase.label}}` */
  link: (url: unknown, label: unknown) =>
    trusted(typeof url === 'string' ? teamsLink(url, typeof label === 'string' ? label : url) : ''),
  /** `{{actionUrl review.url}}`: a URL for an `Action.OpenUrl`, outside markdown. */
  actionUrl: (url: unknown) => trusted(typeof url === 'string' ? safeUrl(url) : ''),
  /** `{{richText comment}}`: the comment with Credo AI's mention markup turned into mentions. */
  richText: (comment: { parts: TextPart[] } | null) => trusted(comment ? richText(comment.parts) : ''),
  /** `{{plainText comment}}`: the comment as plain text, mentions as `@Name`. */
  plainText: (comment: { parts: TextPart[] } | null) => trusted(comment ? plainText(comment.parts) : ''),
};
