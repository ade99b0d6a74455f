import { readFileSync } from 'node:fs';
import { envelopeSchema } from '../events/schemas.js';
import { recognizeEventType } from '../receiver/event-type.js';
import { toRenderInput } from '../render/render-input.js';
import { loadConfigOrExit } from './load-config.js';
import { rendererOrExit } from './renderer-or-exit.js';

/** `credo-notify render --event file.json`: prints the message that event becomes. */
export async function render(options: { event: string; template?: string; config?: string }): Promise<void> {
  const { config } = loadConfigOrExit(options.config);
  const renderer = rendererOrExit(config);
  const envelope = envelopeSchema.safeParse(JSON.parse(readFileSync(options.event, 'utf8')));
  if (!envelope.success) {
    process.stderr.write(`${options.event} is not a Credo AI event: ${envelope.error.issues[0]?.message}\n`);
    process.exit(1);
  }
  const { type } = recognizeEventType(envelope.data, {
    prefix: config.credo.eventTypePrefix,
    suffix: config.credo.eventTypeSuffix,
  });
  if (options.template && !renderer.has('slack', options.template)) {
    process.stderr.write(`no Slack template named "${options.template}"\n`);
    process.exit(1);
  }
  const input = toRenderInput({
    id: 'render',
    type,
    rawType: envelope.data.type,
    payload: envelope.data,
    receivedAt: Date.now(),
  });
  const message = renderer.renderSlack(renderer.templateFor('slack', type, options.template), input);
  process.stdout.write(`${JSON.stringify(message, null, 2)}\n`);
}
