/**
 * Turns event values into text a governance team reads: `in_progress` → "In progress",
 * `riskCategoryLevel` → "Risk category level", booleans → Yes/No, lists joined with commas.
 * Free text (names, descriptions, comments) is left exactly as written.
 */

const EMPTY = '(empty)';
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
  if (typeof value === 'string') return CODE.test(value) ? humanize(value) : value;
  if (typeof value === 'boolean') return value ? 'Yes' : 'No';
  if (Array.isArray(value)) return value.length === 0 ? EMPTY : value.map(readableValue).join(', ');
  if (typeof value === 'object') {
    const entries = Object.entries(value);
    if (entries.length === 0) return EMPTY;
    return entries.map(([key, inner]) => `${humanize(key)}: ${readableValue(inner)}`).join('; ');
  }
  return String(value);
}
