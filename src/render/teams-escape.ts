import { expressionEscaper } from './escape-hook.js';
import { escapeJsonString } from './slack-escape.js';

/**
 * Teams templates emit Adaptive Card JSON whose texts are Teams markdown, so untrusted text is
 * escaped twice: for the markdown, then for a JSON string. Teams has no reliable escape for its
 * markdown (backslashes and entities render differently per client), so the constructs that
 * could act are broken with an invisible WORD JOINER instead: after `<` no `<at>` mention tag
 * forms, after `]` no `[label](url)` link or `[label]: url` definition, after `&` no entity, and
 * inside `{{` no `{{DATE(...)}}` function. The reader sees the text exactly as written.
 */
export const WORD_JOINER = '\u2060';

export function escapeTeamsMarkdown(text: string): string {
  return text.replace(/[<\]&]/g, `$&${WORD_JOINER}`).replace(/\{\{/g, `{${WORD_JOINER}{`);
}

/** Untrusted text, ready to sit inside a markdown string of a Teams template. */
export function teamsText(text: string): string {
  return escapeJsonString(escapeTeamsMarkdown(text));
}

/** The escaper behind `{{value}}` in Teams templates; non-text values are shown readably. */
export const escapeTeamsExpression = expressionEscaper(teamsText);
