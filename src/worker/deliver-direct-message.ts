import type { Logger } from '../log.js';
import type { SendResult } from '../notify/notifier.js';
import { chatIdOf, PersonUnreachableError } from '../people/chat-platform.js';
import { actorOf } from '../people/people-in-event.js';
import { toRenderInput } from '../render/render-input.js';
import type { Person } from '../render/renderer.js';
import type { ClaimedJob } from '../store/store.js';
import type { DeliveryState } from './deliver.js';
import { isDirectMessageOn } from './direct-messages.js';
import { renderForDelivery } from './render-for-delivery.js';
import { sendContextOf } from './send-context.js';

/**
 * Sends a planned direct message: finds the person's chat user, renders `dm-<reason>` and writes
 * to them. A person who cannot be reached (no email, no chat user, no chat with the bot, DMs
 * turned off since) is no failure: the job completes with an info line, as retrying would find
 * no one either.
 */
export async function deliverDirectMessage(
  job: ClaimedJob,
  state: DeliveryState,
  log: Logger,
): Promise<SendResult | undefined> {
  const { userId, reason, platform } = job.spec;
  const fields = { eventId: job.eventId, destination: job.destination, reason };
  const chat = platform === undefined ? undefined : state.people.chatPlatforms.get(platform);
  if (!userId || !reason || !chat || !isDirectMessageOn(state.config.mentions.directMessages, reason)) {
    log.info(fields, 'direct message not sent: such direct messages are no longer configured');
    return;
  }
  const input = await state.people.enricher.enrich(toRenderInput(job.event), chat.platform);
  const recipient = input.people?.[userId];
  const chatUserId = chatIdOf(recipient, chat.platform);
  if (chatUserId === undefined) {
    log.info(fields, `direct message not sent: no ${chat.platform} user found for this person`);
    return;
  }
  if (isActor(recipient, input.event.data)) {
    log.info(fields, 'direct message not sent: it is about their own action');
    return;
  }
  const message = renderForDelivery(state.renderer, chat.platform, `dm-${reason}`, input);
  try {
    return await chat.directMessages(chatUserId).send(message, sendContextOf(job));
  } catch (error) {
    if (!(error instanceof PersonUnreachableError)) throw error;
    log.info(fields, `direct message not sent: ${error.message}`);
    return undefined;
  }
}

/** Planning excluded the actor by id; an actor the event names by email only is caught here. */
function isActor(recipient: Person | undefined, data: Record<string, unknown>): boolean {
  const actorEmail = actorOf(data).email;
  return actorEmail !== undefined && recipient?.email?.toLowerCase() === actorEmail.toLowerCase();
}
