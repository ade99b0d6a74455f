import type { SlackBlock, SlackMessage } from '../messages.js';
import { truncateWholeUnits } from './truncate.js';

/**
 * Slack rejects a whole message when one piece is over its limit (invalid_blocks), so every
 * message is fitted before it leaves: long texts are cut with an ellipsis, then trailing blocks
 * are dropped until the rest fits. https://docs.slack.dev/reference/block-kit/blocks
 */
export const SLACK_LIMITS = {
  blocks: 50,
  /** Measured as JSON.stringify(blocks).length. */
  blocksJson: 12_000,
  sectionText: 3_000,
  headerText: 150,
  fieldText: 2_000,
  fieldsPerSection: 10,
  contextElements: 10,
  /** Any other text object. */
  text: 3_000,
  fallbackText: 3_000,
} as const;

/** Units never cut in half: an entity, a `<…>` link or mention, one code point (emoji). */
const UNIT = /&(?:amp|lt|gt);|<[^<>]*>|[\s\S]/gu;

/** Cuts `text` to at most `max` UTF-16 units (what Slack counts, or more), ending with "…". */
export function truncateMrkdwn(text: string, max: number): string {
  return truncateWholeUnits(text, max, UNIT);
}

export function fitSlackLimits(message: SlackMessage): SlackMessage {
  const blocks = message.blocks.flatMap(fitBlock).slice(0, SLACK_LIMITS.blocks);
  while (blocks.length > 0 && JSON.stringify(blocks).length > SLACK_LIMITS.blocksJson) blocks.pop();
  const text = truncateMrkdwn(message.text.trim() || firstText(message.blocks), SLACK_LIMITS.fallbackText);
  return { text, blocks: blocks.length > 0 ? blocks : [section(text)] };
}

/** The fitted block, or nothing when it would be empty (Slack rejects empty texts too). */
function fitBlock(block: SlackBlock): SlackBlock[] {
  switch (block.type) {
    case 'header':
      return fitText(block.text, SLACK_LIMITS.headerText).map((text) => ({ ...block, text }));
    case 'section':
      return fitSection(block);
    case 'context': {
      const elements = asArray(block.elements)
        .flatMap((element) => (isTextObject(element) ? fitText(element, SLACK_LIMITS.text) : [element]))
        .slice(0, SLACK_LIMITS.contextElements);
      return elements.length > 0 ? [{ ...block, elements }] : [];
    }
    default:
      // Built-in templates use only the blocks above; others pass through, bounded by blocksJson.
      return [block];
  }
}

function fitSection(block: SlackBlock): SlackBlock[] {
  const { text: rawText, fields: rawFields, ...rest } = block;
  const [text] = fitText(rawText, SLACK_LIMITS.sectionText);
  const fields = asArray(rawFields)
    .flatMap((field) => fitText(field, SLACK_LIMITS.fieldText))
    .slice(0, SLACK_LIMITS.fieldsPerSection);
  if (!text && fields.length === 0) return [];
  return [{ ...rest, ...(text && { text }), ...(fields.length > 0 && { fields }) }];
}

type TextObject = { type: string; text: string } & Record<string, unknown>;

function isTextObject(value: unknown): value is TextObject {
  return typeof value === 'object' && value !== null && typeof (value as TextObject).text === 'string';
}

/** The text object cut to `max`, or none when it holds no visible text. */
function fitText(value: unknown, max: number): TextObject[] {
  if (!isTextObject(value) || value.text.trim() === '') return [];
  return [{ ...value, text: truncateMrkdwn(value.text, max) }];
}

function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

function firstText(blocks: SlackBlock[]): string {
  for (const block of blocks) {
    if (isTextObject(block.text) && block.text.text.trim() !== '') return block.text.text;
  }
  return 'Credo AI notification';
}

function section(text: string): SlackBlock {
  return { type: 'section', text: { type: 'mrkdwn', text } };
}
