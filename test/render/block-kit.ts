import type { SlackBlock, SlackMessage } from '../../src/messages.js';

/**
 * What Slack would reject in a message, checked independently of the code under test:
 * https://docs.slack.dev/reference/block-kit/blocks and .../composition-objects/text-object
 */
export function blockKitProblems(message: SlackMessage): string[] {
  const problems: string[] = [];
  const expect = (ok: boolean, problem: string) => {
    if (!ok) problems.push(problem);
  };
  expect(isText(message.text, 3000), `fallback text: ${describe(message.text)}`);
  expect(message.blocks.length >= 1 && message.blocks.length <= 50, `${message.blocks.length} blocks`);
  expect(JSON.stringify(message.blocks).length <= 12_000, 'blocks over 12,000 characters');
  message.blocks.forEach((block, index) => {
    for (const problem of blockProblems(block)) problems.push(`block ${index} (${block.type}): ${problem}`);
  });
  return problems;
}

function blockProblems(block: SlackBlock): string[] {
  const text = block.text as { type?: string; text?: unknown } | undefined;
  switch (block.type) {
    case 'header':
      return text?.type === 'plain_text' && isText(text.text, 150)
        ? []
        : [`header text ${describe(text?.text)}`];
    case 'section': {
      const fields = (block.fields ?? []) as Array<{ text?: unknown }>;
      return [
        ...(text === undefined && fields.length === 0 ? ['neither text nor fields'] : []),
        ...(text !== undefined && !isText(text.text, 3000) ? [`section text ${describe(text.text)}`] : []),
        ...(fields.length > 10 ? [`${fields.length} fields`] : []),
        ...fields
          .filter((field) => !isText(field.text, 2000))
          .map((field) => `field ${describe(field.text)}`),
      ];
    }
    case 'context': {
      const elements = (block.elements ?? []) as Array<{ text?: unknown }>;
      return [
        ...(elements.length < 1 || elements.length > 10 ? [`${elements.length} elements`] : []),
        ...elements
          .filter((element) => !isText(element.text, 3000))
          .map((e) => `element ${describe(e.text)}`),
      ];
    }
    case 'divider':
      return [];
    default:
      return ['a block type our templates do not use'];
  }
}

function isText(value: unknown, max: number): boolean {
  return typeof value === 'string' && value.trim().length > 0 && value.length <= max;
}

function describe(value: unknown): string {
  return typeof value === 'string' ? `of ${value.length} characters` : `is ${typeof value}`;
}

/** Every text a reader sees in the message: the fallback and each text object's. */
export function allTexts(message: SlackMessage): string[] {
  const texts: string[] = [message.text];
  const visit = (value: unknown) => {
    if (Array.isArray(value)) value.forEach(visit);
    else if (typeof value === 'object' && value !== null) {
      for (const [key, inner] of Object.entries(value)) {
        if (key === 'text' && typeof inner === 'string') texts.push(inner);
        else visit(inner);
      }
    }
  };
  visit(message.blocks);
  return texts;
}

/** Every `<…>` Slack would act on: links, mentions, broadcasts. */
export function slackMarkup(message: SlackMessage): string[] {
  return allTexts(message).flatMap((text) => text.match(/<[^<>]*>/g) ?? []);
}

/** What Slack shows for mrkdwn text: its three entities decoded. */
export function shown(text: string): string {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}
