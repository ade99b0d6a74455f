import type { HelperDelegate } from 'handlebars';
import { trusted } from './escape-hook.js';
import type { TextPart } from './mentions.js';
import type { PersonView } from './person-view.js';
import { escapeJsonString, slackText } from './slack-escape.js';

/**
 * Helpers that write Slack markup around untrusted text. Each returns trusted output: the
 * markup is ours, every piece of event text inside it is escaped.
 */

/** A real mention needs a Slack user id; anything else is shown, never sent as markup. */
const SLACK_USER_ID = /^[UW][A-Z0-9]+$/;

export function slackMention(person: PersonView): string {
  return person.slackId !== null && SLACK_USER_ID.test(person.slackId)
    ? `<@${person.slackId}>`
    : `*${slackText(person.label)}*`;
}

/** `<url|label>`; characters that would end the link early are percent-encoded in the url. */
export function slackLink(url: string, label: string): string {
  const safeUrl = url.replace(/[|<>\s]/g, encodeURIComponent).replace(/&/g, '&amp;');
  return `<${escapeJsonString(safeUrl)}|${slackText(label)}>`;
}

function richText(parts: TextPart[]): string {
  return parts.map((part) => ('person' in part ? slackMention(part.person) : slackText(part.text))).join('');
}

export const slackHelpers: Record<string, HelperDelegate> = {
  /** `{{mention assignee}}`: pings them when their Slack id is known, else their name in bold. */
  mention: (person: PersonView | null) => trusted(person ? slackMention(person) : ''),
  /** `{{link useCase.url useCase.label}}` */
  link: (url: unknown, label: unknown) =>
    trusted(typeof url === 'string' ? slackLink(url, typeof label === 'string' ? label : url) : ''),
  /** `{{richText comment}}`: the comment with Credo AI's mention markup turned into mentions. */
  richText: (comment: { parts: TextPart[] } | null) => trusted(comment ? richText(comment.parts) : ''),
};
