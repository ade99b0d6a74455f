import { expressionEscaper } from './escape-hook.js';

/**
 * Slack templates emit JSON whose strings hold mrkdwn, so untrusted text is escaped twice:
 * first for mrkdwn (`&`, `<`, `>`: no forged link, user mention or `<!channel>` survives), then
 * for a JSON string (quotes, backslashes, newlines). Slack decodes the three entities in every
 * text field, plain_text included.
 */
export function escapeMrkdwn(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(BROADCAST, `@${ZERO_WIDTH_JOINER}$1`);
}

/** `@here` typed as plain text can still notify; a zero-width joiner after the @ keeps it inert. */
const BROADCAST = /@(channel|here|everyone)\b/gi;
const ZERO_WIDTH_JOINER = '\u200d';

/** The inside of a JSON string literal, without its quotes. */
export function escapeJsonString(text: string): string {
  return JSON.stringify(text).slice(1, -1);
}

/** Untrusted text, ready to sit inside a mrkdwn string of a Slack template. */
export function slackText(text: string): string {
  return escapeJsonString(escapeMrkdwn(text));
}

/** The escaper behind `{{value}}` in Slack templates; non-text values are shown readably. */
export const escapeSlackExpression = expressionEscaper(slackText);
