export const ELLIPSIS = '…';

/**
 * Cuts `text` to at most `max` UTF-16 units, ending with "…". `units` (a global regex matching
 * every character) names what must never be cut in half: each platform has its own escapes,
 * links and mentions, and a code point is never split.
 */
export function truncateWholeUnits(text: string, max: number, units: RegExp): string {
  if (text.length <= max) return text;
  let kept = '';
  for (const [unit] of text.matchAll(units)) {
    if (kept.length + unit.length > max - ELLIPSIS.length) break;
    kept += unit;
  }
  return kept + ELLIPSIS;
}

/** `text` up to `end`, or one unit less where `end` would split a surrogate pair (an emoji). */
export function sliceWhole(text: string, end: number): string {
  return text.slice(0, /[\uD800-\uDBFF]/.test(text.charAt(end - 1)) ? end - 1 : end);
}
