import type { Config, Route } from '../../config/schema.js';
import { wantsTeamsBot } from '../../inbound/teams/start-teams-bot.js';
import type { Platform } from '../../messages.js';
import { formatsOf, kindOf, type MessageFormat } from '../../notify/kinds.js';
import { NEWEST_CARD_VERSION } from '../../render/card-version.js';
import { checkTemplates, type TemplateSample } from '../../render/check-templates.js';
import type { Renderer } from '../../render/renderer.js';
import { eventTypeMatcher } from '../../routing/route-event.js';
import { error, type Finding } from './finding.js';
import { routeLabel } from './lint-routes.js';

/** Templates every event may need, whatever routed it: thread parents and direct messages. */
const SHARED_TEMPLATES = ['thread-parent', 'dm-tagged', 'dm-assigned'];

/**
 * Renders each template against the sample events of the routes that use it, on the platforms
 * of their destinations, Teams cards at the version each destination displays (a Workflows card
 * must be valid Adaptive Card 1.4): a route for reviews is not failed by a use-case event it
 * never gets. A problem is reported once per template and message, with the samples it showed on.
 */
export function checkRouteTemplates(
  config: Config,
  renderer: Renderer,
  samples: readonly TemplateSample[],
): { findings: Finding[]; rendered: Map<Platform, number> } {
  const plan = new Map<string, { format: MessageFormat; template: string; samples: Set<TemplateSample> }>();
  const add = (format: MessageFormat, template: string, sample: TemplateSample) => {
    const key = where(format, template);
    const entry = plan.get(key) ?? { format, template, samples: new Set() };
    entry.samples.add(sample);
    plan.set(key, entry);
  };
  const findings: Finding[] = [];
  config.routes.forEach((route, index) => {
    const formats = formatsOf(route.to.flatMap((name) => config.destinations[name] ?? []));
    const missing = (platform: Platform) =>
      route.template !== undefined && !renderer.has(platform, route.template);
    for (const platform of new Set(formats.map((format) => format.platform).filter(missing))) {
      findings.push(
        error(`${routeLabel(route, index)}.template`, `no ${platform} template named "${route.template}"`),
      );
    }
    for (const format of formats.filter((format) => !missing(format.platform))) {
      for (const sample of samplesFor(route, samples)) {
        add(format, renderer.templateFor(format.platform, sample.input.event.type, route.template), sample);
      }
    }
  });
  // A chat subscription's messages go through a bot, with `subscriptions.defaults.template` for any event.
  const { template } = config.subscriptions.defaults;
  for (const platform of botPlatforms(config)) {
    if (template !== undefined && !renderer.has(platform, template)) {
      findings.push(error('subscriptions.defaults.template', `no ${platform} template named "${template}"`));
      continue;
    }
    for (const sample of samples) {
      add(
        { platform, cardVersion: undefined },
        renderer.templateFor(platform, sample.input.event.type, template),
        sample,
      );
    }
  }
  // Thread parents and direct messages go through the bots, whose cards are the newest version.
  for (const platform of new Set(Object.values(config.destinations).map((d) => kindOf(d).platform))) {
    for (const template of SHARED_TEMPLATES)
      for (const sample of samples) add({ platform, cardVersion: undefined }, template, sample);
  }

  const rendered = new Map<Platform, number>();
  for (const { format, template, samples: used } of plan.values()) {
    const { platform, cardVersion } = format;
    rendered.set(platform, (rendered.get(platform) ?? 0) + used.size);
    const problems = checkTemplates(renderer, [...used], platform, [template], cardVersion);
    findings.push(...once(where(format, template), problems));
  }
  return { findings, rendered };
}

/** The platforms a chat subscription can be made on: those whose bot runs. */
function botPlatforms(config: Config): Platform[] {
  return [
    ...(config.slack ? (['slack'] as const) : []),
    ...(wantsTeamsBot(config) ? (['teams'] as const) : []),
  ];
}

/** `teams/default`, or `teams/default (Adaptive Card 1.4)` for a destination that displays only up to 1.4. */
function where({ platform, cardVersion }: MessageFormat, template: string): string {
  return `${platform}/${template}${cardVersion && cardVersion !== NEWEST_CARD_VERSION ? ` (Adaptive Card ${cardVersion})` : ''}`;
}

/** The samples whose event type the route's `events` match; `where` and `useCases` are left out on purpose. */
function samplesFor(route: Route, samples: readonly TemplateSample[]): TemplateSample[] {
  const matches = eventTypeMatcher(route.match.events);
  return samples.filter((sample) => matches(sample.input.event.type));
}

/** The same failure on several samples is one problem, naming the samples. */
function once(where: string, problems: ReturnType<typeof checkTemplates>): Finding[] {
  const byMessage = new Map<string, string[]>();
  for (const p of problems) {
    const samples = byMessage.get(p.message) ?? [];
    if (p.sample) samples.push(p.sample);
    byMessage.set(p.message, samples);
  }
  return [...byMessage].map(([message, samples]) =>
    error(where, samples.length > 0 ? `${message} (with ${samples.join(', ')})` : message),
  );
}
