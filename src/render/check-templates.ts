import type { Renderer, RenderInput } from './renderer.js';

export interface TemplateSample {
  /** Shown in problems, e.g. the fixture's file name. */
  name: string;
  input: RenderInput;
}

export interface TemplateProblem {
  template: string;
  /** The sample that failed, or null when the template itself is missing. */
  sample: string | null;
  message: string;
}

/**
 * Renders every sample through every given Slack template (by default all of them) and lists
 * what failed; an empty list means every template is sound for these events. Built-in
 * templates render every event, whatever its type: a user's template should too.
 */
export function checkTemplates(
  renderer: Renderer,
  samples: readonly TemplateSample[],
  templates: readonly string[] = renderer.names('slack'),
): TemplateProblem[] {
  return templates.flatMap((template): TemplateProblem[] => {
    if (!renderer.has('slack', template)) {
      return [{ template, sample: null, message: `no Slack template named "${template}"` }];
    }
    return samples.flatMap((sample) => {
      try {
        renderer.renderSlack(template, sample.input);
        return [];
      } catch (error) {
        return [
          { template, sample: sample.name, message: error instanceof Error ? error.message : String(error) },
        ];
      }
    });
  });
}
