import type { MessageOf, Platform } from '../messages.js';
import { DeliveryError } from '../notify/notifier.js';
import type { Renderer, RenderInput } from '../render/renderer.js';

/** Renders for a send. A template that fails on this event will fail the same way next time: no retry. */
export function renderForDelivery<P extends Platform>(
  renderer: Renderer,
  platform: P,
  template: string,
  input: RenderInput,
): MessageOf[P] {
  try {
    return renderer.render(platform, template, input);
  } catch (error) {
    throw new DeliveryError(`template "${template}" failed: ${(error as Error).message}`, {
      code: 'CN_TEMPLATE_FAILED',
      retryable: false,
      cause: error,
    });
  }
}
