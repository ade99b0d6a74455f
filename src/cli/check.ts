import type { Config } from '../config/schema.js';
import type { Platform } from '../messages.js';
import { kindOf } from '../notify/kinds.js';
import { checkTemplates } from '../render/check-templates.js';
import type { Renderer } from '../render/renderer.js';
import { loadSampleEvents } from '../render/sample-events.js';
import { loadConfigOrExit } from './load-config.js';
import { rendererOrExit } from './renderer-or-exit.js';

/**
 * `credo-notify check`: the config is valid, every template compiles, and every sample event
 * renders through every template a route may use, on every platform the destinations use.
 * Exit 0 or 1, with the same messages `serve` would print.
 */
export async function check(options: { config?: string }): Promise<void> {
  const { config, source } = loadConfigOrExit(options.config);
  const renderer = rendererOrExit(config);
  const samples = loadSampleEvents();
  const platforms = platformsIn(config);
  const checked = platforms.map((platform) => ({
    platform,
    templates: templatesToCheck(config, renderer, platform),
  }));
  const problems = checked.flatMap(({ platform, templates }) =>
    checkTemplates(renderer, samples, platform, templates),
  );
  if (problems.length > 0) {
    process.stderr.write(`Template problems (${problems.length}):\n`);
    for (const p of problems) {
      process.stderr.write(
        `  - ${p.platform}/${p.template}${p.sample ? ` with ${p.sample}` : ''}: ${p.message}\n`,
      );
    }
    process.exit(1);
  }
  process.stdout.write(`OK: ${source}\n`);
  process.stdout.write(
    `  ${Object.keys(config.destinations).length} destinations, ${config.routes.length} routes\n`,
  );
  for (const { platform, templates } of checked) {
    process.stdout.write(
      `  ${platform}: ${templates.length} templates × ${samples.length} sample events rendered\n`,
    );
  }
}

function platformsIn(config: Config): Platform[] {
  return [...new Set(Object.values(config.destinations).map((destination) => kindOf(destination).platform))];
}

/** Every template of the platform, plus the templates routes name for destinations on it, which must exist. */
function templatesToCheck(config: Config, renderer: Renderer, platform: Platform): string[] {
  const routeTemplates = config.routes.flatMap((route) => {
    const onPlatform = route.to.some((name) => {
      const destination = config.destinations[name];
      return destination !== undefined && kindOf(destination).platform === platform;
    });
    return route.template && onPlatform ? [route.template] : [];
  });
  return [...new Set([...renderer.names(platform), ...routeTemplates])];
}
