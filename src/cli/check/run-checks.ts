import { fileURLToPath } from 'node:url';
import type { LoadedConfig } from '../../config/load.js';
import type { Platform } from '../../messages.js';
import { rendererFor } from '../../render/create-renderer.js';
import type { Renderer } from '../../render/renderer.js';
import { loadSampleEvents, SAMPLE_EVENT_DIRS } from '../../render/sample-events.js';
import { checkRouteTemplates } from './check-route-templates.js';
import { dataFolderProblem } from './data-folder.js';
import { error, type Finding, warning } from './finding.js';
import { lintRoutes } from './lint-routes.js';
import { lintSlack } from './lint-slack.js';
import { checkTeamsConversations } from './teams-conversations.js';

export interface CheckReport {
  findings: Finding[];
  /** Renders done per platform, and the sample events they drew on. */
  rendered: Map<Platform, number>;
  samples: number;
}

/**
 * Everything `check` looks at, for a config that loaded: templates against the sample events
 * of the routes that use them, the data folder, what the schema cannot judge (route patterns,
 * `where` fields, Slack values) and, when asked, the services themselves.
 */
export async function runChecks(
  { config, missingSecret }: LoadedConfig,
  options: { online?: boolean; sampleDirs?: readonly URL[] } = {},
): Promise<CheckReport> {
  const samples = loadSampleEvents(options.sampleDirs);
  let renderer: Renderer;
  try {
    renderer = rendererFor(config);
  } catch (failure) {
    return { findings: [error('templates', (failure as Error).message)], rendered: new Map(), samples: 0 };
  }
  const templates = checkRouteTemplates(config, renderer, samples);
  const storeProblem = dataFolderProblem(config.store.url);
  const findings: Finding[] = [
    ...missingSecret.map((problem) =>
      warning(
        problem,
        'fine until the webhook is registered (`credo-notify credo webhooks create`); `serve` refuses to start without it',
      ),
    ),
    ...(samples.length === 0
      ? [error('sample events', noSamples(options.sampleDirs ?? SAMPLE_EVENT_DIRS))]
      : []),
    ...(storeProblem ? [error('store.url', storeProblem)] : []),
    ...templates.findings,
    ...lintRoutes(config, samples),
    ...lintSlack(config),
    ...(await checkTeamsConversations(config, options.online ?? false)),
    // The Slack SDK takes a while to load: only when it is used.
    ...(options.online ? await (await import('./check-online.js')).checkOnline(config) : []),
  ];
  return { findings, rendered: templates.rendered, samples: samples.length };
}

function noSamples(dirs: readonly URL[]): string {
  const paths = dirs.map((dir) => fileURLToPath(dir)).join(' and ');
  return `none found in ${paths}, so no template was tried: reinstall credo-notify (the package ships them)`;
}
