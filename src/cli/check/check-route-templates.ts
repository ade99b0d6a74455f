import type { Config, Route } from '../../config/schema.js';
import type { Platform } from '../../messages.js';
import { kindOf } from '../../notify/kinds.js';
import { checkTemplates, type TemplateSample } from '../../render/check-templates.js';
import type { Renderer } from '../../render/renderer.js';
import { eventTypeMatcher } from '../../routing/route-event.js';
import { error, type Finding } from './finding.js';
import { routeLabel } from './lint-routes.js';

/** Templates every event may need, whatever routed it: thread parents and direct messages. */
const SHARED_TEMPLATES = ['thread-parent', 'dm-tagged', 'dm-assigned'];

/**
 * Renders each template against the sample events of the routes that use it, on the platforms
 * of their destinations: a route for reviews is not failed by a use-case event it never gets.
 * A problem is reported once per template and message, with the samples it showed on.
 */
export function checkRouteTemplates(
  config: Config,
  renderer: Renderer,
  samples: readonly TemplateSample[],
): { findings: Finding[]; rendered: Map<Platform, number> } {
  const plan = new Map<string, { platform: Platform; template: string; samples: Set<TemplateSample> }>();
  const add = (platform: Platform, template: string, sample: TemplateSample) => {
    const key = `${platform}/${template}`;
    const entry = plan.get(key) ?? { platform, template, samples: new Set() };
    entry.samples.add(sample);
    plan.set(key, entry);
  };
  const findings: Finding[] = [];
  config.routes.forEach((route, index) => {
    for (const platform of platformsOf(config, route)) {
      if (route.template && !renderer.has(platform, route.template)) {
        findings.push(
          error(`${routeLabel(route, index)}.template`, `no ${platform} template named "${route.template}"`),
        );
        continue;
      }
      for (const sample of samplesFor(route, samples)) {
        add(platform, renderer.templateFor(platform, sample.input.event.type, route.template), sample);
      }
    }
  });
  for (const platform of new Set(Object.values(config.destinations).map(platformOf))) {
    for (const template of SHARED_TEMPLATES) for (const sample of samples) add(platform, template, sample);
  }

  const rendered = new Map<Platform, number>();
  for (const { platform, template, samples: used } of plan.values()) {
    rendered.set(platform, (rendered.get(platform) ?? 0) + used.size);
    findings.push(...once(checkTemplates(renderer, [...used], platform, [template])));
  }
  return { findings, rendered };
}

function platformsOf(config: Config, route: Route): Platform[] {
  const destinations = route.to.flatMap((name) => config.destinations[name] ?? []);
  return [...new Set(destinations.map(platformOf))];
}

/** The samples whose event type the route's `events` match; `where` and `useCases` are left out on purpose. */
function samplesFor(route: Route, samples: readonly TemplateSample[]): TemplateSample[] {
  const matches = eventTypeMatcher(route.match.events);
  return samples.filter((sample) => matches(sample.input.event.type));
}

/** The same failure on several samples is one problem, naming the samples. */
function once(problems: ReturnType<typeof checkTemplates>): Finding[] {
  const byMessage = new Map<string, { where: string; samples: string[] }>();
  for (const p of problems) {
    const entry = byMessage.get(p.message) ?? { where: `${p.platform}/${p.template}`, samples: [] };
    if (p.sample) entry.samples.push(p.sample);
    byMessage.set(p.message, entry);
  }
  return [...byMessage].map(([message, { where, samples }]) =>
    error(where, samples.length > 0 ? `${message} (with ${samples.join(', ')})` : message),
  );
}

function platformOf(destination: Config['destinations'][string]): Platform {
  return kindOf(destination).platform;
}
