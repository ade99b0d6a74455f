import { z } from 'zod';
import type { TeamsCard } from './renderer.js';
import { parseTemplateOutput } from './template-output.js';

const adaptiveCard = z.looseObject({
  type: z.literal('AdaptiveCard'),
  version: z.string(),
  body: z.array(z.looseObject({ type: z.string() })).min(1),
  msteams: z.looseObject({ entities: z.array(z.unknown()).optional() }).optional(),
});

/** A Teams template's output as an Adaptive Card; a template error when it is not one. */
export function parseTeamsCard(output: string, file: string): TeamsCard {
  return parseTemplateOutput(output, file, adaptiveCard, 'an Adaptive Card');
}
