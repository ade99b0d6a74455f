import { checkTemplates } from '../render/check-templates.js';
import { loadSampleEvents } from '../render/sample-events.js';
import { loadConfigOrExit } from './load-config.js';
import { rendererOrExit } from './renderer-or-exit.js';

/**
 * `credo-notify check`: the config is valid, every template compiles, and every sample event
 * renders through every template a route may use. Exit 0 or 1, with the same messages `serve`
 * would print.
 */
export async function check(options: { config?: string }): Promise<void> {
  const { config, source } = loadConfigOrExit(options.config);
  const renderer = rendererOrExit(config);
  const routeTemplates = config.routes.flatMap((route) => (route.template ? [route.template] : []));
  const templates = [...new Set([...renderer.names('slack'), ...routeTemplates])];
  const samples = loadSampleEvents();
  const problems = checkTemplates(renderer, samples, templates);
  if (problems.length > 0) {
    process.stderr.write(`Template problems (${problems.length}):\n`);
    for (const p of problems)
      process.stderr.write(`  - ${p.template}${p.sample ? ` with ${p.sample}` : ''}: ${p.message}\n`);
    process.exit(1);
  }
  const destinations = Object.keys(config.destinations).length;
  process.stdout.write(
    `OK: ${source}\n  ${destinations} destinations, ${config.routes.length} routes\n` +
      `  ${templates.length} templates × ${samples.length} sample events rendered within Slack's limits\n`,
  );
}
