import { z } from 'zod';
import type { SlackBlock, SlackMessage } from '../../messages.js';
import { defineKind } from '../destination-kind.js';
import type { Notifier, SendContext } from '../notifier.js';
import { NO_PACING } from '../pacing.js';

/**
 * `console: {}`: the terminal, showing the Slack rendering. Its message ids are synthetic, so
 * threads and updates behave as they would on Slack.
 */
export const consoleKind = defineKind({
  // `console:` with nothing after it reads as null in YAML; it means the same as `console: {}`.
  settings: z
    .strictObject({})
    .nullable()
    .transform((settings) => settings ?? {}),
  platform: 'slack',
  pacing: NO_PACING,
  can: { thread: true, update: true, mention: false, findEarlierPost: false },
  notifier: (_settings, deps: { write: (line: string) => void }) => createConsoleNotifier(deps),
});

const INDENT = '    ';

/**
 * Prints each message for a person watching the terminal: who it is for, its text, then what
 * its blocks say, indented. The quick-start destination, and a dry run of a real config.
 * Message ids are synthetic so that threads and updates behave as they would on Slack.
 */
export function createConsoleNotifier(options: { write: (line: string) => void }): Notifier<SlackMessage> {
  let sent = 0;
  return {
    async send(message, context) {
      sent += 1;
      const messageId = context.updateId ?? `console-${sent}`;
      const lines = [
        heading(context, messageId),
        ...message.text.split('\n'),
        ...message.blocks.flatMap(blockLines).map((line) => `${INDENT}${line}`),
      ];
      options.write(lines.join('\n'));
      return { messageId };
    },
  };
}

function heading(context: SendContext, messageId: string): string {
  const relation = context.updateId
    ? ` (updates ${context.updateId})`
    : context.threadId
      ? ` (${messageId}, reply to ${context.threadId})`
      : ` (${messageId})`;
  return `── ${context.destination} · event ${context.eventId}${relation}`;
}

/** Every piece of text a block shows, in order, whatever the block type. */
function blockLines(block: SlackBlock): string[] {
  if (block.type === 'divider') return ['────────'];
  return textsIn(block).flatMap((text) => text.split('\n'));
}

function textsIn(node: unknown): string[] {
  if (Array.isArray(node)) return node.flatMap(textsIn);
  if (typeof node !== 'object' || node === null) return [];
  return Object.entries(node).flatMap(([key, value]) =>
    key === 'text' && typeof value === 'string' ? [value] : textsIn(value),
  );
}
