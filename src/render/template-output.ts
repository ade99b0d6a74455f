import { z } from 'zod';
import { TemplateError } from './template-error.js';

/**
 * A template's output as the platform's message (`what`, e.g. "a Slack message"). Values are
 * escaped for JSON, so output that does not parse (a stray comma, a `{{{raw}}}` value), or
 * parses into something else, is a bug in the template, reported with its file.
 */
export function parseTemplateOutput<T>(output: string, file: string, shape: z.ZodType<T>, what: string): T {
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
