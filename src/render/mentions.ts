import { labelById, type People, type PersonView, personById } from './person-view.js';
import { ELLIPSIS, sliceWhole } from './truncate.js';

/** Comment text split into what was typed and who was mentioned, for each platform to format. */
export type TextPart = { text: string } | { person: PersonView };

/** Credo AI writes a mention as `@[John Doe](users:MMC8qELwNoq9V27Y2cvqHf)`. */
const MENTION = /@\[([^\]\n]*)\]\(users:([A-Za-z0-9_-]+)\)/g;

/** One mention markup in a text: where it is, and whom it names. */
export interface Mention {
  index: number;
  length: number;
  userId: string;
  /** The name as written in the markup (may be empty). */
  name: string;
}

/**
 * Every mention in `text`, in order, read lazily: a comment can hold tens of thousands, and a
 * reader that needs only the first ones (the people within the cap) stops there.
 */
export function* mentionsIn(text: string): Generator<Mention> {
  const scanner = new RegExp(MENTION);
  for (let match = scanner.exec(text); match !== null; match = scanner.exec(text)) {
    yield { index: match.index, length: match[0].length, userId: match[2] ?? '', name: match[1] ?? '' };
  }
}

/** How many mentions in `text` name someone `counts` says yes to: a scan, with nothing built. */
export function countMentions(text: string, counts: (userId: string) => boolean): number {
  const scanner = new RegExp(MENTION);
  let counted = 0;
  for (let match = scanner.exec(text); match !== null; match = scanner.exec(text)) {
    if (counts(match[2] ?? '')) counted += 1;
  }
  return counted;
}

/**
 * `mentionable` holds the people this event may mention (`mentions.maxPerEvent` of them, see
 * people-in-event.ts); anyone else mentioned is shown as the plain name the markup gives, never
 * as a mention: nobody past the cap is looked up, so nobody past it is pinged either.
 */
export function splitMentions(text: string, people: People, mentionable: ReadonlySet<string>): TextPart[] {
  const parts: TextPart[] = [];
  let typed = '';
  let last = 0;
  for (const { index, length, userId, name } of mentionsIn(text)) {
    typed += text.slice(last, index);
    last = index + length;
    if (!mentionable.has(userId)) {
      typed += labelById(userId, name);
      continue;
    }
    if (typed !== '') parts.push({ text: typed });
    parts.push({ person: personById(userId, people, name) });
    typed = '';
  }
  typed += text.slice(last);
  if (typed !== '') parts.push({ text: typed });
  return parts;
}

/**
 * `text` cut to at most `max` characters with an ellipsis, never inside a mention (which would
 * show its markup) nor between the halves of a surrogate pair.
 */
export function cutOutsideMentions(text: string, max: number): string {
  if (text.length <= max) return text;
  let cut = max;
  for (const { index, length } of mentionsIn(text)) {
    if (index >= max) break;
    if (index + length > max) {
      cut = index;
      break;
    }
  }
  return `${sliceWhole(text, cut)}${ELLIPSIS}`;
}
