import type { Config } from '../config/schema.js';
import { wantsTeamsBot } from '../inbound/teams/start-teams-bot.js';
import type { Platform } from '../messages.js';
import { type Destination, kindOf } from '../notify/kinds.js';
import { explainRoutes, verdictOf } from '../routing/explain-routes.js';
import { compileRoutes } from '../routing/route-event.js';
import { planDirectMessages } from '../worker/direct-messages.js';
import { loadConfigOrExit } from './load-config.js';
import { parsedEventOrExit } from './parsed-event-or-exit.js';

/**
 * `credo-notify route --event file.json`: the receiver's parse, routing and DM planning of an
 * event, printed instead of stored. Nothing is sent and nothing is looked up.
 */
export async function route(options: { event: string; json?: boolean; config?: string }): Promise<void> {
  const { config } = loadConfigOrExit(options.config, { secretMayBeMissing: true });
  const { event, rawType } = parsedEventOrExit(options.event, config);
  const routes = explainRoutes(config.routes, event);
  const destinations = compileRoutes(config.routes)(event).map((delivery) => {
    // The config schema refuses a route to a destination it does not define.
    const { kind, platform } = kindOf(config.destinations[delivery.destination] as Destination);
    return { ...delivery, kind, platform };
  });
  const directMessages = planDirectMessages(event, config.mentions, dmPlatforms(config)).jobs.flatMap(
    (job) => (job.spec.kind === 'dm' ? [{ destination: job.destination, ...job.spec }] : []),
  );
  const answer = { event: { type: event.type, rawType }, routes, destinations, directMessages };
  process.stdout.write(options.json ? `${JSON.stringify(answer, null, 2)}\n` : describe(answer));
}

/**
 * The platforms the server plans DMs on: those it has a bot on, as `chatPlatformsFor` builds
 * them at start (Slack with `slack`, Teams when the Teams bot runs).
 */
function dmPlatforms(config: Config): Platform[] {
  return [
    ...(config.slack ? (['slack'] as const) : []),
    ...(wantsTeamsBot(config) ? (['teams'] as const) : []),
  ];
}

type Answer = {
  event: { type: string; rawType: string };
  routes: ReturnType<typeof explainRoutes>;
  destinations: Array<{
    destination: string;
    kind: string;
    platform: Platform;
    route: string;
    template?: string;
    thread: string;
  }>;
  directMessages: Array<{ destination: string; userId: string; reason: string; platform: Platform }>;
};

function describe({ event, routes, destinations, directMessages }: Answer): string {
  const lines = [`event: ${event.type} (${event.rawType})`, '', `Routes (${routes.length})`];
  if (routes.length === 0) lines.push('  none in the config');
  for (const route of routes) {
    lines.push(`  ${route.name}: ${verdictOf(route)}`);
    for (const check of route.checks) {
      lines.push(`    ${check.met ? '✓' : '✗'} ${check.condition} (the event has ${shown(check.actual)})`);
    }
  }
  lines.push('', `Destinations (${destinations.length})`);
  if (destinations.length === 0) lines.push('  none: the event would be stored and nothing sent');
  for (const d of destinations) {
    const template = d.template === undefined ? '' : `, template ${d.template}`;
    lines.push(`  ${d.destination} (${d.kind}, ${d.platform}) by ${d.route}, thread ${d.thread}${template}`);
  }
  lines.push('', `Direct messages (${directMessages.length})`);
  if (directMessages.length === 0) lines.push('  none');
  for (const dm of directMessages) lines.push(`  ${dm.userId} on ${dm.platform}: ${dm.reason}`);
  lines.push('', 'Nothing was sent.');
  return `${lines.join('\n')}\n`;
}

function shown(value: unknown): string {
  return value === undefined ? 'nothing there' : JSON.stringify(value);
}
