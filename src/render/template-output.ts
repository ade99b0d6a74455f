import { readFileSync } from 'node:fs';
import { z } from 'zod';
import type { SlackMessage, TeamsCard } from '../messages.js';
import { TemplateError } from './template-error.js';

const slackMessage = z.object({
  text: z.string(),
  blocks: z.array(z.looseObject({ type: z.string() })),
});

const adaptiveCard = z.looseObject({
  type: z.literal('AdaptiveCard'),
  version: z.string(),
  body: z.array(z.looseObject({ type: z.string() })).min(1),
  msteams: z.looseObject({ entities: z.array(z.unknown()).optional() }).optional(),
});

/** A Slack template's output as a message; a template error when it is not one. */
export function parseSlackMessage(output: string, file: string): SlackMessage {
  return parseTemplateOutput(output, file, slackMessage, 'a Slack message');
}

/** A Teams template's output as an Adaptive Card; a template error when it is not one. */
export function parseTeamsCard(output: string, file: string): TeamsCard {
  return parseTemplateOutput(output, file, adaptiveCard, 'an Adaptive Card');
}

/**
 * A template's output as the platform's message (`what`, e.g. "a Slack message"). Values are
 * escaped for JSON, so output that does not parse (a stray comma, a `{{{raw}}}` value), or
 * parses into something else, is a bug in the template, reported with its file.
 */
function parseTemplateOutput<T>(output: string, file: string, shape: z.ZodType<T>, what: string): T {
  let parsed: unknown;
  try {
    parsed = JSON.parse(output);
  } catch (error) {
    const offset = jsonErrorOffset(output);
    const found =
      offset < output.length ? `unexpected ${JSON.stringify(output.charAt(offset))}` : 'it ends too soon';
    throw new TemplateError(file, `output is not valid JSON: ${found}`, {
      line: templateLine(file, output, offset),
      cause: error,
    });
  }
  const result = shape.safeParse(parsed);
  if (!result.success) {
    throw new TemplateError(file, `output is not ${what}: ${z.prettifyError(result.error)}`);
  }
  return result.data;
}

/**
 * Where JSON text stops being valid: the longest prefix that is still the start of some JSON
 * document ends there. A prefix only gets worse as it grows, so a binary search finds it.
 */
function jsonErrorOffset(text: string): number {
  let good = 0;
  let bad = text.length;
  while (bad - good > 1) {
    const middle = Math.floor((good + bad) / 2);
    if (isIncompleteJson(text.slice(0, middle))) good = middle;
    else bad = middle;
  }
  return isIncompleteJson(text.slice(0, bad)) ? bad : good;
}

/** V8 says "end of JSON input", or names the prefix's own length, when only the end is missing. */
function isIncompleteJson(prefix: string): boolean {
  try {
    JSON.parse(prefix);
    return true;
  } catch (error) {
    const message = (error as Error).message;
    const position = /at position (\d+)/.exec(message)?.[1];
    return /end of JSON input/.test(message) || Number(position) === prefix.length;
  }
}

/**
 * The template line behind an output offset. Values are JSON-escaped, so they never add lines:
 * when the output has as many lines as the template, line n came from line n. Otherwise (a
 * block or partial added or removed lines) the line is not known, and none is claimed.
 */
function templateLine(file: string, output: string, offset: number): number | undefined {
  let source: string;
  try {
    source = readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  const lines = (text: string) => text.split('\n').length;
  if (lines(source.trimEnd()) !== lines(output.trimEnd())) return undefined;
  return lines(output.slice(0, offset));
}
