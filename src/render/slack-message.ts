import { z } from 'zod';
import type { SlackMessage } from './renderer.js';
import { TemplateError } from './template-error.js';

const slackMessage = z.object({
  text: z.string(),
  blocks: z.array(z.looseObject({ type: z.string() })),
});

/**
 * A Slack template's output as a message. Values are escaped for JSON, so output that does not
 * parse (a stray comma, a `{{{raw}}}` value) is a bug in the template, reported with its file.
 */
export function parseSlackMessage(output: string, file: string): SlackMessage {
  let parsed: unknown;
  try {
    parsed = JSON.parse(output);
  } catch (error) {
    throw new TemplateError(file, `output is not valid JSON (${(error as Error).message})`, { cause: error });
  }
  const result = slackMessage.safeParse(parsed);
  if (!result.success) {
    throw new TemplateError(file, `output is not a Slack message: ${z.prettifyError(result.error)}`);
  }
  return result.data;
}
