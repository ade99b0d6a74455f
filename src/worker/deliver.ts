import { DeliveryError, type OutgoingMessage } from '../notify/notifier.js';
import { toRenderInput } from '../render/render-input.js';
import { renderMessage } from '../render/render-message.js';
import type { Platform, Renderer, RenderInput } from '../render/renderer.js';
import type { ClaimedJob } from '../store/store.js';
import type { ReadyDestination } from './destinations.js';

export interface DelivererOptions {
  destinations: () => ReadonlyMap<string, ReadyDestination>;
  renderer: () => Renderer;
}

/**
 * Turns one claimed job into one sent message: render with the job's platform template, then
 * send through the destination's notifier. Rendering happens here, not at receive time, so a
 * retried job goes out with the current config and templates.
 */
export function createDeliverer(options: DelivererOptions): (job: ClaimedJob) => Promise<void> {
  return async (job) => {
    const destination = options.destinations().get(job.destination);
    if (!destination) {
      throw new DeliveryError(`destination "${job.destination}" is no longer in the config`, {
        retryable: false,
      });
    }
    const input = toRenderInput(job.event);
    const message = render(options.renderer(), destination.platform, job.spec.template, input);
    await destination.notifier.send(message, { eventId: job.eventId, destination: job.destination });
  };
}

/** A template that fails on this event will fail the same way next time: no retry. */
function render(
  renderer: Renderer,
  platform: Platform,
  routeTemplate: string | undefined,
  input: RenderInput,
): OutgoingMessage {
  const template = renderer.templateFor(platform, input.event.type, routeTemplate);
  try {
    return renderMessage(renderer, platform, template, input);
  } catch (error) {
    throw new DeliveryError(`template "${template}" failed: ${(error as Error).message}`, {
      retryable: false,
      cause: error,
    });
  }
}
