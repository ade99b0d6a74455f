import type { TeamsCard } from '../messages.js';
import { WORD_JOINER } from './teams-escape.js';
import type { TeamsMention } from './teams-mentions.js';
import { truncateWholeUnits } from './truncate.js';

/**
 * Teams refuses a whole message over about 28 KB, so every card is fitted before it leaves: long
 * texts are cut with an ellipsis, then the longest texts are halved, then trailing body elements
 * dropped, until the card (mention entities included) fits. Mentions whose text was cut away lose
 * their entity too, since Teams rejects an entity that matches no text.
 */
export const TEAMS_LIMITS = {
  /** UTF-8 bytes of the card's JSON: 28 KB less 1 KB for the activity around it. */
  cardBytes: 27 * 1024,
  /** Any one text; longer is a wall nobody reads in a notification. */
  text: 8_000,
  fallbackText: 1_000,
  /** Texts are not halved below this: past it, elements are dropped instead. */
  shortestCut: 200,
} as const;

/** Units never cut in half: a mention, a markdown link, an escape (char + word joiner), a code point. */
const UNIT = new RegExp(
  `<at>.*?</at>|\\[(?:[^\\]\\n]|\\]${WORD_JOINER})*\\]\\([^()\\s]*\\)|[\\s\\S]${WORD_JOINER}|[\\s\\S]`,
  'gu',
);

/** Cuts `text` to at most `max` UTF-16 units, ending with "…". */
export function truncateTeamsText(text: string, max: number): string {
  return truncateWholeUnits(text, max, UNIT);
}

/** One text of the card that may be cut. */
interface TextSlot {
  owner: Record<string, unknown>;
  key: string;
}

export function fitTeamsCard(card: TeamsCard, mentions: readonly TeamsMention[]): TeamsCard {
  const fitted = structuredClone(card);
  const slots = textSlots(fitted);
  for (const slot of slots) {
    const max = slot.key === 'fallbackText' ? TEAMS_LIMITS.fallbackText : TEAMS_LIMITS.text;
    slot.owner[slot.key] = truncateTeamsText(textOf(slot), max);
  }
  while (tooBig(fitted, mentions)) {
    const longest = slots
      .filter((slot) => textOf(slot).length > TEAMS_LIMITS.shortestCut)
      .sort((a, b) => textOf(b).length - textOf(a).length)[0];
    if (!longest) break;
    longest.owner[longest.key] = truncateTeamsText(textOf(longest), Math.floor(textOf(longest).length / 2));
  }
  const body = fitted.body as unknown[];
  while (tooBig(fitted, mentions) && body.length > 1) body.pop();
  return withMentions(fitted, mentions);
}

function tooBig(card: TeamsCard, mentions: readonly TeamsMention[]): boolean {
  return Buffer.byteLength(JSON.stringify(withMentions(card, mentions))) > TEAMS_LIMITS.cardBytes;
}

/** The card with an entity for each mention still in its texts, after any the template wrote. */
export function withMentions(card: TeamsCard, mentions: readonly TeamsMention[]): TeamsCard {
  const texts = textSlots(card).map(textOf);
  const present = mentions.filter((mention) => texts.some((text) => text.includes(mention.text)));
  if (present.length === 0) return card;
  const msteams = (card.msteams ?? {}) as { entities?: unknown[] };
  return { ...card, msteams: { ...msteams, entities: [...(msteams.entities ?? []), ...present] } };
}

/** Texts a reader sees: the fallback, every TextBlock and TextRun, every fact. */
function textSlots(card: TeamsCard): TextSlot[] {
  const slots: TextSlot[] = [];
  const add = (owner: Record<string, unknown>, key: string) => {
    if (typeof owner[key] === 'string') slots.push({ owner, key });
  };
  const visit = (node: unknown) => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (typeof node !== 'object' || node === null) return;
    const element = node as Record<string, unknown>;
    if (element.type === 'TextBlock' || element.type === 'TextRun') add(element, 'text');
    if (element.type === 'FactSet' && Array.isArray(element.facts)) {
      for (const fact of element.facts) {
        if (typeof fact === 'object' && fact !== null) {
          add(fact as Record<string, unknown>, 'title');
          add(fact as Record<string, unknown>, 'value');
        }
      }
    }
    for (const [key, value] of Object.entries(element))
      if (key !== 'facts' && key !== 'msteams') visit(value);
  };
  add(card, 'fallbackText');
  visit(card.body);
  visit(card.actions);
  return slots;
}

function textOf(slot: TextSlot): string {
  return slot.owner[slot.key] as string;
}
