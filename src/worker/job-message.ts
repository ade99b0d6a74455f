import type { CardVersion, MessageOf, Platform } from '../messages.js';
import { DeliveryError, type SendContext } from '../notify/notifier.js';
import type { Renderer, RenderInput } from '../render/renderer.js';
import type { ClaimedJob } from '../store/store.js';

/** Renders for a send. A template that fails on this event will fail the same way next time: no retry. */
export function renderForDelivery<P extends Platform>(
  renderer: Renderer,
  platform: P,
  template: string,
  input: RenderInput,
  cardVersion?: CardVersion,
): MessageOf[P] {
  try {
    return renderer.render(platform, template, input, cardVersion);
  } catch (error) {
    throw new DeliveryError(`template "${template}" failed: ${(error as Error).message}`, {
      code: 'CN_TEMPLATE_FAILED',
      retryable: false,
      cause: error,
    });
  }
}

/**
 * What a notifier is told about the job it sends for. Any attempt after the first may follow
 * one that reached the platform unrecorded (an instance killed mid-send whose job was taken
 * over, a post whose answer timed out), so it asks the notifier to look before posting.
 */
export function sendContextOf(job: ClaimedJob): SendContext {
  return {
    eventId: job.eventId,
    destination: job.destination,
    jobId: job.id,
    ...(job.attempts > 1 ? { earlierAttemptSince: job.createdAt } : {}),
  };
}
