import { readEvent } from '../events/credo-event.js';
import { PLATFORMS } from '../messages.js';
import { createOfflineEnricher, unresolvedPeople } from '../people/offline-people.js';
import { loadConfigOrExit } from './load-config.js';
import { parsedEventOrExit } from './parsed-event-or-exit.js';
import { rendererOrExit } from './renderer-or-exit.js';

/**
 * `credo-notify render --event file.json`: prints the message that event becomes, with the
 * people resolved as far as the event and `mentions.users` say (no network).
 */
export async function render(options: {
  event: string;
  template?: string;
  platform: string;
  config?: string;
}): Promise<void> {
  const { config } = loadConfigOrExit(options.config, { secretMayBeMissing: true });
  const platform = PLATFORMS.find((p) => p === options.platform);
  if (!platform) fail(`--platform must be one of ${PLATFORMS.join(', ')}`);
  const renderer = rendererOrExit(config);
  if (options.template && !renderer.has(platform, options.template)) {
    fail(`no ${platform} template named "${options.template}"`);
  }
  const { event: parsed, rawType, payload } = parsedEventOrExit(options.event, config);
  const event = readEvent({ id: 'render', type: parsed.type, rawType, payload, receivedAt: Date.now() });
  const input = await createOfflineEnricher(config).enrich({ event }, platform);
  const unresolved = unresolvedPeople(input, platform, config.mentions.maxPerEvent);
  if (unresolved.length > 0) {
    process.stderr.write(
      `not resolved without the network (no ${platform} id in mentions.users): ${unresolved.join(', ')}\n`,
    );
  }
  const message = renderer.render(
    platform,
    renderer.templateFor(platform, event.type, options.template),
    input,
  );
  process.stdout.write(`${JSON.stringify(message, null, 2)}\n`);
}

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(1);
}
