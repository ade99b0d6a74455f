/**
 * Turns event values into text a governance team reads: `in_progress` → "In progress",
 * `riskCategoryLevel` → "Risk category level", booleans → Yes/No, lists joined with commas.
 * Free text (names, descriptions, comments) is left exactly as written.
 */

import { ELLIPSIS, sliceWhole } from './truncate.js';

const EMPTY = '(empty)';
/**
 * The most of one value a message shows, more than a platform's longest text: a comment can
 * list 20,000 tagged users, and each job of its event would make them readable again, only
 * for the platform's limits to cut them (issue 14).
 */
const SHOWN_MAX = 10_000;
/** A lowercase code such as `high` or `financial_services`: an enum value, not free text. */
const CODE = /^[a-z][a-z0-9]*(?:_[a-z0-9]+)*$/;

export function humanize(token: string): string {
  const words = token
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/[_\s]+/g, ' ')
    .trim()
    .toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

export function readableValue(value: unknown): string {
  if (value === null || value === undefined || value === '') return EMPTY;
  if (typeof value === 'string') return shown(CODE.test(value) ? humanize(value) : value);
  if (typeof value === 'boolean') return value ? 'Yes' : 'No';
  if (Array.isArray(value)) return value.length === 0 ? EMPTY : joinShown(value, readableValue, ', ');
  if (typeof value === 'object') {
    const entries = Object.entries(value);
    if (entries.length === 0) return EMPTY;
    return joinShown(entries, ([key, inner]) => `${humanize(key)}: ${readableValue(inner)}`, '; ');
  }
  return String(value);
}

function shown(text: string): string {
  return text.length > SHOWN_MAX ? `${sliceWhole(text, SHOWN_MAX)}${ELLIPSIS}` : text;
}

/** The items made readable and joined, as far as SHOWN_MAX: those past it are never made readable. */
function joinShown<T>(items: readonly T[], readable: (item: T) => string, separator: string): string {
  let joined = '';
  for (const [index, item] of items.entries()) {
    joined += (index === 0 ? '' : separator) + readable(item);
    if (joined.length > SHOWN_MAX) return shown(joined);
  }
  return joined;
}
