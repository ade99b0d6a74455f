import { DeliveryError } from '../notify/notifier.js';
import { toRenderInput } from '../render/render-input.js';
import type { Renderer } from '../render/renderer.js';
import type { ClaimedJob } from '../store/store.js';
import type { ReadyDestination } from './destinations.js';

export interface DelivererOptions {
  destinations: ReadonlyMap<string, ReadyDestination>;
  renderer: Renderer;
}

/**
 * Turns one claimed job into one sent message: render with the job's platform template, then
 * send through the destination's notifier. Rendering happens here, not at receive time, so a
 * retried job goes out with the current templates.
 */
export function createDeliverer(options: DelivererOptions): (job: ClaimedJob) => Promise<void> {
  return async (job) => {
    const destination = options.destinations.get(job.destination);
    if (!destination) {
      throw new DeliveryError(`destination "${job.destination}" is no longer in the config`, {
        retryable: false,
      });
    }
    const input = toRenderInput(job.event);
    const template = options.renderer.templateFor(destination.platform, input.event.type, job.spec.template);
    const message =
      destination.platform === 'slack' ? { slack: options.renderer.renderSlack(template, input) } : {};
    await destination.notifier.send(message, { eventId: job.eventId, destination: job.destination });
  };
}
