import type { OutgoingMessage } from '../notify/notifier.js';
import type { Platform, Renderer, RenderInput } from './renderer.js';

/** The message one platform's destinations take, rendered with that platform's templates. */
export function renderMessage(
  renderer: Renderer,
  platform: Platform,
  template: string,
  input: RenderInput,
): OutgoingMessage {
  switch (platform) {
    case 'slack':
      return { slack: renderer.renderSlack(template, input) };
    case 'teams':
      return { teams: renderer.renderTeams(template, input) };
  }
}
