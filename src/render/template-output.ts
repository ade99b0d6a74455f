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
    throw new TemplateError(file, `output is not valid JSON (${(error as Error).message})`, { cause: error });
  }
  const result = shape.safeParse(parsed);
  if (!result.success) {
    throw new TemplateError(file, `output is not ${what}: ${z.prettifyError(result.error)}`);
  }
  return result.data;
}
