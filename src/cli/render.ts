import { readFileSync } from 'node:fs';
import { readEvent } from '../events/credo-event.js';
import { envelopeSchema } from '../events/schemas.js';
import { PLATFORMS } from '../messages.js';
import { recognizeEventType } from '../receiver/event-type.js';
import { loadConfigOrExit } from './load-config.js';
import { rendererOrExit } from './renderer-or-exit.js';

/** `credo-notify render --event file.json`: prints the message that event becomes. */
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
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(options.event, 'utf8'));
  } catch (error) {
    fail(`cannot read ${options.event}: ${(error as Error).message}`);
  }
  const envelope = envelopeSchema.safeParse(json);
  if (!envelope.success)
    fail(`${options.event} is not a Credo AI event: ${envelope.error.issues[0]?.message}`);
  if (options.template && !renderer.has(platform, options.template)) {
    fail(`no ${platform} template named "${options.template}"`);
  }
  const { type } = recognizeEventType(envelope.data, {
    prefix: config.credo.eventTypePrefix,
    suffix: config.credo.eventTypeSuffix,
  });
  const event = readEvent({
    id: 'render',
    type,
    rawType: envelope.data.type,
    payload: envelope.data,
    receivedAt: Date.now(),
  });
  const message = renderer.render(platform, renderer.templateFor(platform, type, options.template), {
    event,
  });
  process.stdout.write(`${JSON.stringify(message, null, 2)}\n`);
}

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(1);
}
