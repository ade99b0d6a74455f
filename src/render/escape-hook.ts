import Handlebars from 'handlebars';
import { readableValue } from './readable-value.js';

/** How `{{value}}` is written into a platform's output (`{{{value}}}` is never escaped). */
export type Escape = (value: unknown) => string;

/**
 * Handlebars compiles every `{{value}}` into a call of `Handlebars.Utils.escapeExpression`, one
 * function shared by all environments (it is read when a template first runs). We replace it,
 * once, with a dispatcher to the escaper of the platform being rendered. Rendering is
 * synchronous, so exactly one escaper is active at a time; outside our renders Handlebars keeps
 * its own HTML escaping.
 */
const utils = Handlebars.Utils as { escapeExpression: Escape };
const htmlEscape = utils.escapeExpression;
let active: Escape | undefined;
utils.escapeExpression = (value) => (active ?? htmlEscape)(value);

export function withEscape<T>(escaper: Escape, run: () => T): T {
  const previous = active;
  active = escaper;
  try {
    return run();
  } finally {
    active = previous;
  }
}

/** Helpers return this for output that is already escaped for the platform. */
export function trusted(escapedOutput: string): Handlebars.SafeString {
  return new Handlebars.SafeString(escapedOutput);
}

/** What helpers' trusted output looks like to an escaper: it passes through as is. */
export function isTrusted(value: unknown): value is Handlebars.SafeString {
  return value instanceof Handlebars.SafeString;
}

/**
 * The escaper behind `{{value}}` for a platform whose untrusted text `escapeText` makes safe:
 * trusted output passes as is, a missing value shows as nothing, other values are shown readably.
 */
export function expressionEscaper(escapeText: (text: string) => string): Escape {
  return (value) => {
    if (isTrusted(value)) return value.toHTML();
    if (value === null || value === undefined) return '';
    return escapeText(typeof value === 'string' ? value : readableValue(value));
  };
}
