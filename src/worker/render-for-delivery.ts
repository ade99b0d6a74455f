import { DeliveryError, type OutgoingMessage } from '../notify/notifier.js';
import { renderMessage } from '../render/render-message.js';
import type { Platform, Renderer, RenderInput } from '../render/renderer.js';

/** Renders for a send. A template that fails on this event will fail the same way next time: no retry. */
export function renderForDelivery(
  renderer: Renderer,
  platform: Platform,
  template: string,
  input: RenderInput,
): OutgoingMessage {
  try {
    return renderMessage(renderer, platform, template, input);
  } catch (error) {
    throw new DeliveryError(`template "${template}" failed: ${(error as Error).message}`, {
      code: 'CN_TEMPLATE_FAILED',
      retryable: false,
      cause: error,
    });
  }
}
