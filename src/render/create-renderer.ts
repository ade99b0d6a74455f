import type { EventType } from '../events/event-types.js';
import { createTimeFormatter } from './format-time.js';
import type { Platform, Renderer, RenderInput, SlackMessage, TeamsCard } from './renderer.js';
import { escapeSlackExpression } from './slack-escape.js';
import { slackHelpers } from './slack-helpers.js';
import { fitSlackLimits } from './slack-limits.js';
import { parseSlackMessage } from './slack-message.js';
import { parseTeamsCard } from './teams-card.js';
import { escapeTeamsExpression } from './teams-escape.js';
import { teamsHelpers } from './teams-helpers.js';
import { fitTeamsCard } from './teams-limits.js';
import { collectMentions } from './teams-mentions.js';
import { type CompiledTemplates, compileTemplates, type PlatformKit } from './template-engine.js';
import { readPlatformSources } from './template-files.js';
import { buildView, type ViewSettings } from './view-model.js';

export interface RendererOptions {
  /** The templates shipped with credo-notify: see builtinTemplatesDir(). */
  builtinDir: string;
  /** The user's `templates.dir`: its files replace built-in ones of the same name. */
  userDir?: string;
  /** IANA zone for times in messages, e.g. "Europe/Paris". */
  timezone: string;
  /** Base of the links into Credo AI (`credo.appUrl`). */
  appUrl: string;
}

/** The platforms whose templates are compiled, each with its own escaping and helpers. */
const PLATFORM_KITS: Partial<Record<Platform, PlatformKit>> = {
  slack: { escape: escapeSlackExpression, helpers: slackHelpers },
  teams: { escape: escapeTeamsExpression, helpers: teamsHelpers },
};

/**
 * Reads and compiles every template now: a broken one throws a TemplateError naming its file
 * and line, before any event arrives. `render*` never touches the disk.
 */
export function createRenderer(options: RendererOptions): Renderer {
  const settings: ViewSettings = {
    appUrl: options.appUrl,
    formatTime: createTimeFormatter(options.timezone),
  };
  const compiled = new Map<Platform, CompiledTemplates>();
  for (const [platform, kit] of Object.entries(PLATFORM_KITS) as Array<[Platform, PlatformKit]>) {
    compiled.set(platform, compileTemplates(readPlatformSources(platform, options), kit));
  }

  function templatesOf(platform: Platform): CompiledTemplates {
    const templates = compiled.get(platform);
    if (!templates) throw new Error(`no templates for platform "${platform}" yet`);
    return templates;
  }

  return {
    has: (platform, name) => compiled.get(platform)?.has(name) ?? false,
    names: (platform) => compiled.get(platform)?.names() ?? [],
    templateFor(platform: Platform, type: EventType, routeTemplate?: string): string {
      const templates = compiled.get(platform);
      const candidates = [routeTemplate, type].filter((name) => name !== undefined);
      return candidates.find((name) => templates?.has(name)) ?? 'default';
    },
    renderSlack(template: string, input: RenderInput): SlackMessage {
      const slack = templatesOf('slack');
      const output = slack.run(template, buildView(input, settings));
      return fitSlackLimits(parseSlackMessage(output, slack.file(template)));
    },
    renderTeams(template: string, input: RenderInput): TeamsCard {
      const teams = templatesOf('teams');
      const { result: output, mentions } = collectMentions(() =>
        teams.run(template, buildView(input, settings)),
      );
      return fitTeamsCard(parseTeamsCard(output, teams.file(template)), mentions);
    },
  };
}
