import { z } from 'zod';
import type { TeamsCard } from './renderer.js';
import { TemplateError } from './template-error.js';

const adaptiveCard = z.looseObject({
  type: z.literal('AdaptiveCard'),
  version: z.string(),
  body: z.array(z.looseObject({ type: z.string() })).min(1),
  msteams: z.looseObject({ entities: z.array(z.unknown()).optional() }).optional(),
});

/**
 * A Teams template's output as an Adaptive Card. Values are escaped for JSON, so output that does
 * not parse (a stray comma, a `{{{raw}}}` value) is a bug in the template, reported with its file.
 */
export function parseTeamsCard(output: string, file: string): TeamsCard {
  let parsed: unknown;
  try {
    parsed = JSON.parse(output);
  } catch (error) {
    throw new TemplateError(file, `output is not valid JSON (${(error as Error).message})`, { cause: error });
  }
  const result = adaptiveCard.safeParse(parsed);
  if (!result.success) {
    throw new TemplateError(file, `output is not an Adaptive Card: ${z.prettifyError(result.error)}`);
  }
  return result.data;
}
