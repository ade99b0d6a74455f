import type { CardVersion, Platform } from '../messages.js';
import type { Renderer, RenderInput } from './renderer.js';

export interface TemplateSample {
  /** Shown in problems, e.g. the fixture's file name. */
  name: string;
  input: RenderInput;
}

export interface TemplateProblem {
  platform: Platform;
  template: string;
  /** The sample that failed, or null when the template itself is missing. */
  sample: string | null;
  message: string;
}

/**
 * Renders every sample through every given template of a platform (by default all of them)
 * and lists what failed; an empty list means every template is sound for these events.
 * Built-in templates render every event, whatever its type: a user's template should too.
 * Teams cards are rendered and checked at `cardVersion` (Workflows: 1.4), the bot's 1.5 unless told.
 */
export function checkTemplates(
  renderer: Renderer,
  samples: readonly TemplateSample[],
  platform: Platform = 'slack',
  templates: readonly string[] = renderer.names(platform),
  cardVersion?: CardVersion,
): TemplateProblem[] {
  return templates.flatMap((template): TemplateProblem[] => {
    if (!renderer.has(platform, template)) {
      return [{ platform, template, sample: null, message: `no ${platform} template named "${template}"` }];
    }
    return samples.flatMap((sample) => {
      try {
        renderer.render(platform, template, sample.input, cardVersion);
        return [];
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        return [{ platform, template, sample: sample.name, message }];
      }
    });
  });
}
