import { z } from 'zod';
import type { SlackMessage } from './renderer.js';
import { parseTemplateOutput } from './template-output.js';

const slackMessage = z.object({
  text: z.string(),
  blocks: z.array(z.looseObject({ type: z.string() })),
});

/** A Slack template's output as a message; a template error when it is not one. */
export function parseSlackMessage(output: string, file: string): SlackMessage {
  return parseTemplateOutput(output, file, slackMessage, 'a Slack message');
}
