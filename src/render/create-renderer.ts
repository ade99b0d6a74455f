import { isDeepStrictEqual } from 'node:util';
import type { Config } from '../config/schema.js';
import type { EventType } from '../events/event-types.js';
import { type CardVersion, type MessageOf, PLATFORMS, type Platform } from '../messages.js';
import { cardProblemsAt } from './card-validity.js';
import { NEWEST_CARD_VERSION } from './card-version.js';
import { type DigestView, digestShowing } from './digest-view.js';
import { createTimeFormatter } from './format-time.js';
import type { Renderer, RenderInput } from './renderer.js';
import { escapeSlackExpression } from './slack-escape.js';
import { slackHelpers } from './slack-helpers.js';
import { fitSlackLimits } from './slack-limits.js';
import { escapeTeamsExpression } from './teams-escape.js';
import { teamsHelpers } from './teams-helpers.js';
import { fitTeamsCard, withMentions } from './teams-limits.js';
import { collectMentions } from './teams-mentions.js';
import { type CompiledTemplates, compileTemplates, type PlatformKit } from './template-engine.js';
import { TemplateError } from './template-error.js';
import { readPlatformSources } from './template-files.js';
import { parseSlackMessage, parseTeamsCard } from './template-output.js';
import { builtinTemplatesDir } from './templates-dir.js';
import { buildView, type MessageView, type ViewSettings } from './view-model.js';

export interface RendererOptions {
  /** The templates shipped with credo-notify: see builtinTemplatesDir(). */
  builtinDir: string;
  /** The user's `templates.dir`: its files replace built-in ones of the same name. */
  userDir?: string;
  /** IANA zone for times in messages, e.g. "Europe/Paris". */
  timezone: string;
  /** Base of the links into Credo AI (`credo.appUrl`). */
  appUrl: string;
  /** `mentions.maxPerEvent`: people an event names past it are shown as names, never mentioned. */
  maxMentionsPerEvent: number;
  /**
   * The platforms whose templates are read and checked now, every one unless told. Another
   * platform's are read when first asked for: a server that sends only to Slack skips Teams'
   * (51-79 ms of its start, issue 17), while `check` still sees every template.
   */
  platforms?: readonly Platform[];
}

/**
 * What each platform brings: how `{{value}}` is escaped, its markup helpers, and how a
 * template's output becomes a message that fits the platform's limits.
 */
interface PlatformRendering<M> {
  kit: PlatformKit;
  /**
   * The fitted message, and whether it is whole: nothing had to be cut or dropped to fit. Only a
   * digest asks, so `whole` compares when read: comparing every message sent was 2 % of the
   * event loop's CPU at 5 events/s (CPU profile), for an answer nobody read.
   */
  run(
    templates: CompiledTemplates,
    template: string,
    view: unknown,
    cardVersion: CardVersion,
  ): { message: M; whole: boolean };
}

const PLATFORM_RENDERING: { [P in Platform]: PlatformRendering<MessageOf[P]> } = {
  slack: {
    kit: { escape: escapeSlackExpression, helpers: slackHelpers },
    run(templates, template, view) {
      const raw = parseSlackMessage(templates.run(template, view), templates.file(template));
      const message = fitSlackLimits(raw);
      return {
        message,
        get whole() {
          return isDeepStrictEqual(message.blocks, raw.blocks);
        },
      };
    },
  },
  teams: {
    kit: { escape: escapeTeamsExpression, helpers: teamsHelpers },
    run(templates, template, view, cardVersion) {
      const { result: output, mentions } = collectMentions(() =>
        templates.run(template, view, { cardVersion }),
      );
      const file = templates.file(template);
      const raw = parseTeamsCard(output, file);
      const card = fitTeamsCard(raw, mentions);
      // A card its host cannot show is refused here, where `check` sees it too, rather than
      // sent: Workflows would answer 202 and show "this card couldn't be displayed".
      const [problem, ...more] = cardProblemsAt(card, cardVersion);
      if (problem) {
        const others = more.length > 0 ? ` (and ${more.length} more)` : '';
        throw new TemplateError(file, `not a valid Adaptive Card ${cardVersion}: ${problem}${others}`);
      }
      return {
        message: card,
        get whole() {
          return isDeepStrictEqual(card, withMentions(raw, mentions));
        },
      };
    },
  },
};

/**
 * Reads, parses and checks the platforms' templates now: a broken one throws a TemplateError naming
 * its file and line, before any event arrives. `render` never touches the disk once a platform's
 * templates are read.
 */
export function createRenderer(options: RendererOptions): Renderer {
  const settings: ViewSettings = {
    appUrl: options.appUrl,
    formatTime: createTimeFormatter(options.timezone),
    maxMentionsPerEvent: options.maxMentionsPerEvent,
  };
  const compiled = new Map<Platform, CompiledTemplates>();
  const templatesOf = (platform: Platform) => {
    let templates = compiled.get(platform);
    if (!templates) {
      templates = compileTemplates(readPlatformSources(platform, options), PLATFORM_RENDERING[platform].kit);
      compiled.set(platform, templates);
    }
    return templates;
  };
  for (const platform of options.platforms ?? PLATFORMS) templatesOf(platform);

  return {
    has: (platform, name) => templatesOf(platform).has(name),
    names: (platform) => templatesOf(platform).names(),
    templateFor(platform: Platform, type: EventType, routeTemplate?: string): string {
      const candidates = [routeTemplate, type].filter((name) => name !== undefined);
      return candidates.find((name) => templatesOf(platform).has(name)) ?? 'default';
    },
    render<P extends Platform>(
      platform: P,
      template: string,
      input: RenderInput,
      cardVersion: CardVersion = NEWEST_CARD_VERSION,
    ): MessageOf[P] {
      const rendering: PlatformRendering<MessageOf[P]> = PLATFORM_RENDERING[platform];
      const run = (view: MessageView) => rendering.run(templatesOf(platform), template, view, cardVersion);
      const view = buildView(input, settings);
      return input.digest ? renderDigest(view, view.digest, run) : run(view).message;
    },
  };
}

/**
 * A digest lists as many of its events as fit whole within the platform's limits, and counts the
 * rest as "and N more" (issue 18): cutting the message would drop its last lines, the count and
 * the link among them. The most that fit is found by doubling from a few, then halving between
 * the last that fit and the first that did not: a dozen renders for 500 events, none of a
 * message far past the limits (fitting one that is costs seconds on Teams).
 */
function renderDigest<M>(
  view: MessageView,
  digest: DigestView,
  run: (view: MessageView) => { message: M; whole: boolean },
): M {
  const showing = (shown: number) => run({ ...view, digest: digestShowing(digest, shown) });
  let fits = 0;
  let best: M | undefined;
  let tooMany = digest.count + 1;
  for (let probe = Math.min(FIRST_DIGEST_PROBE, digest.count); ; probe = Math.min(probe * 2, digest.count)) {
    const attempt = showing(probe);
    if (!attempt.whole) {
      tooMany = probe;
      break;
    }
    if (probe === digest.count) return attempt.message;
    fits = probe;
    best = attempt.message;
  }
  while (tooMany - fits > 1) {
    const middle = Math.floor((fits + tooMany) / 2);
    const attempt = showing(middle);
    if (attempt.whole) {
      fits = middle;
      best = attempt.message;
    } else tooMany = middle;
  }
  // Not even the headline fits whole (a use case name of thousands of characters): fitted as any message.
  return best ?? showing(0).message;
}

/** How many events the first try of a digest lists: most digests hold fewer, and fit at once. */
const FIRST_DIGEST_PROBE = 16;
/**
 * The renderer a config asks for: built-in templates, overridden file by file by `templates.dir`,
 * those of `platforms` read and checked now (see RendererOptions).
 */
export function rendererFor(config: Config, platforms?: readonly Platform[]): Renderer {
  return createRenderer({
    builtinDir: builtinTemplatesDir(),
    userDir: config.templates.dir,
    timezone: config.templates.timezone,
    appUrl: config.credo.appUrl,
    maxMentionsPerEvent: config.mentions.maxPerEvent,
    platforms,
  });
}
