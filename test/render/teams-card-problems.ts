import { createRequire } from 'node:module';
import { TEAMS_LIMITS } from '../../src/render/teams-limits.js';

/** The parts of Microsoft's `adaptivecards` package a check needs (its lib/ cannot load in Node). */
interface AdaptiveCardsPackage {
  Versions: { v1_4: unknown; v1_5: unknown };
  SerializationContext: new (
    version: unknown,
  ) => {
    eventCount: number;
    getEventAt(index: number): { message: string };
  };
  AdaptiveCard: new () => {
    parse(json: unknown, context: unknown): void;
    validateProperties(): { validationEvents: Array<{ message: string }> };
  };
}

const adaptiveCards = createRequire(import.meta.url)(
  'adaptivecards/dist/adaptivecards.js',
) as AdaptiveCardsPackage;

/**
 * The version a card is checked at: the bot's cards are 1.5; Power Automate's Flow bot, which
 * posts Workflows cards, shows 1.5 as "this card couldn't be displayed" and needs 1.4.
 */
export type TargetVersion = '1.4' | '1.5';

/**
 * What Teams would reject or mangle in a card, checked apart from the code under test: every
 * error and warning of Microsoft's own parser and validator at `version` (an element or
 * property of a later version among them), a card that declares another version, plus what
 * that parser lets through but Teams does not (size, empty texts, mention entities without
 * their text).
 */
export function teamsCardProblems(card: Record<string, unknown>, version: TargetVersion = '1.5'): string[] {
  const context = new adaptiveCards.SerializationContext(
    version === '1.4' ? adaptiveCards.Versions.v1_4 : adaptiveCards.Versions.v1_5,
  );
  const parsed = new adaptiveCards.AdaptiveCard();
  parsed.parse(card, context);
  const problems = Array.from({ length: context.eventCount }, (_, i) => context.getEventAt(i).message);
  problems.push(...parsed.validateProperties().validationEvents.map((event) => event.message));
  if (card.type !== 'AdaptiveCard' || card.version !== version)
    problems.push(`not an Adaptive Card ${version}`);
  const bytes = Buffer.byteLength(JSON.stringify(card));
  if (bytes > TEAMS_LIMITS.cardBytes) problems.push(`${bytes} bytes`);
  const texts = cardTexts(card);
  if (texts.some((text) => text.trim() === '')) problems.push('an empty text');
  problems.push(...mentionPairingProblems(card));
  return problems;
}

/**
 * Teams pings only for an `<at>…</at>` that a mention entity names, and shows an entity without
 * its `<at>` as nothing: each needs the other (msteams-docs `cards/cards-format.md`, "Mention
 * support within Adaptive Cards").
 */
export function mentionPairingProblems(card: Record<string, unknown>): string[] {
  const texts = cardTexts(card);
  const entities = mentionEntities(card);
  const problems = entities
    .filter((entity) => !texts.some((text) => text.includes(entity.text)))
    .map((entity) => `entity ${entity.text} is in no text`);
  const tags = new Set(texts.flatMap((text) => text.match(/<at>.*?<\/at>/g) ?? []));
  for (const tag of tags) {
    if (!entities.some((entity) => entity.text === tag)) problems.push(`${tag} has no mention entity`);
  }
  return problems;
}

export interface MentionEntity {
  type: string;
  text: string;
  mentioned: { id: string; name: string };
}

export function mentionEntities(card: Record<string, unknown>): MentionEntity[] {
  return ((card.msteams as { entities?: MentionEntity[] } | undefined)?.entities ?? []).filter(
    (entity) => entity.type === 'mention',
  );
}

/** Every text a reader sees: the fallback, text blocks and runs, facts, action titles. */
export function cardTexts(card: Record<string, unknown>): string[] {
  const texts: string[] = [];
  const visit = (node: unknown) => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (typeof node !== 'object' || node === null) return;
    for (const [key, value] of Object.entries(node)) {
      if (['text', 'title', 'value', 'fallbackText'].includes(key) && typeof value === 'string')
        texts.push(value);
      else if (key !== 'msteams') visit(value);
    }
  };
  visit(card);
  return texts;
}

/** Markup Teams would act on in the card's texts: `<at>` tags, markdown links and definitions. */
export function teamsMarkup(card: Record<string, unknown>): string[] {
  return cardTexts(card).flatMap(
    (text) => text.match(/<at>[\s\S]*?<\/at>|\[[^\]]*\]\([^)]*\)|^\s*\[[^\]]*\]:.*$|<[a-z/][^>]*>/gim) ?? [],
  );
}

/** Every URL a button opens. */
export function actionUrls(card: Record<string, unknown>): string[] {
  return ((card.actions ?? []) as Array<{ url?: string }>).flatMap((action) =>
    action.url ? [action.url] : [],
  );
}

/** What a reader sees of a text: the invisible word joiners gone. */
export function shownInTeams(text: string): string {
  return text.replaceAll('\u2060', '');
}
