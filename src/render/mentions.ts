import { type People, type PersonView, personById } from './person-view.js';

/** Comment text split into what was typed and who was mentioned, for each platform to format. */
export type TextPart = { text: string } | { person: PersonView };

/** Credo AI writes a mention as `@[John Doe](users:MMC8qELwNoq9V27Y2cvqHf)`. */
const MENTION = /@\[([^\]\n]*)\]\(users:([A-Za-z0-9_-]+)\)/g;

export function splitMentions(text: string, people: People): TextPart[] {
  const parts: TextPart[] = [];
  let last = 0;
  for (const match of text.matchAll(MENTION)) {
    const [markup, name, userId] = match;
    if (match.index > last) parts.push({ text: text.slice(last, match.index) });
    parts.push({ person: personById(userId ?? '', people, name) });
    last = match.index + markup.length;
  }
  if (last < text.length) parts.push({ text: text.slice(last) });
  return parts;
}
