import { createRequire } from 'node:module';
import type { CardVersion } from '../messages.js';
import { cardVersionAtLeast } from './card-version.js';

/** The parts of Microsoft's `adaptivecards` package the check needs (its lib/ cannot load in Node; dist/ can). */
interface AdaptiveCardsPackage {
  Versions: Record<'v1_4' | 'v1_5', unknown>;
  SerializationContext: new (
    version: unknown,
  ) => { eventCount: number; getEventAt(index: number): { message: string } };
  AdaptiveCard: new () => {
    parse(json: unknown, context: unknown): void;
    validateProperties(): { validationEvents: Array<{ message: string }> };
  };
}

const requireFromHere = createRequire(import.meta.url);
let adaptiveCards: AdaptiveCardsPackage | undefined;

/** Loaded on the first Teams card: a Slack-only server never pays for it. */
function sdk(): AdaptiveCardsPackage {
  adaptiveCards ??= requireFromHere('adaptivecards/dist/adaptivecards.js') as AdaptiveCardsPackage;
  return adaptiveCards;
}

const SDK_VERSION_KEYS: Record<CardVersion, 'v1_4' | 'v1_5'> = { '1.4': 'v1_4', '1.5': 'v1_5' };

/**
 * What keeps a host that displays Adaptive Cards up to `version` from showing `card`, as
 * Microsoft's own parser and validator say it at that version: an element or property of a
 * later version, an invalid value, or a card that declares a later version than the host's.
 * Empty when the card displays. Nothing downstream tells: a Workflows webhook answers 202 and
 * its Flow bot shows "this card couldn't be displayed" afterwards.
 */
export function cardProblemsAt(card: { version: string }, version: CardVersion): string[] {
  const { SerializationContext, AdaptiveCard, Versions } = sdk();
  const context = new SerializationContext(Versions[SDK_VERSION_KEYS[version]]);
  const parsed = new AdaptiveCard();
  parsed.parse(card, context);
  const problems = Array.from({ length: context.eventCount }, (_, i) => context.getEventAt(i).message);
  problems.push(...parsed.validateProperties().validationEvents.map((event) => event.message));
  if (!cardVersionAtLeast(version, card.version))
    problems.unshift(`the card declares version ${card.version}, above ${version}`);
  return problems;
}
