import type { Config } from '../config/schema.js';
import type { CredoEvent, ReceivedEvent } from '../events/credo-event.js';
import type { Logger } from '../log.js';
import type { Platform } from '../messages.js';
import { type ChatPlatform, PersonUnreachableError } from '../notify/chat-platform.js';
import type { SendResult } from '../notify/notifier.js';
import { chatIdOf } from '../people/identity-resolver.js';
import type { People } from '../people/people.js';
import { actorOf, peopleInEvent } from '../render/people-in-event.js';
import type { Person, Renderer, RenderInput } from '../render/renderer.js';
import type { ClaimedJob, DirectMessageJobSpec } from '../store/store.js';
import type { PreferenceBook } from '../subscriptions/preferences.js';
import { isDirectMessageOn } from './direct-messages.js';
import { renderForDelivery, sendContextOf } from './job-message.js';
import type { Paced } from './worker.js';

/** What a direct message reads of the current config. */
export interface DirectMessageState {
  config: Config;
  renderer: Renderer;
  people: People;
  /**
   * `me dm off`: the person's own word, within what the config sends; `preferencesOf` also
   * gives their quiet hours (issue 14 holds DMs by them).
   */
  preferences: Pick<PreferenceBook, 'dmOff' | 'preferencesOf'>;
}

/**
 * Sends a planned direct message: finds the person's chat user, renders `dm-<reason>` and writes
 * to them. A person who cannot be reached (no email, no chat user, no chat with the bot, DMs
 * turned off since, in the config or by their own `me dm off`) is no failure: the job completes
 * with an info line, as retrying would find no one either. A lookup that fails (the chat
 * platform's directory, the Credo AI API) is no "nobody": it fails the job, which is retried like
 * any send (issue #16).
 */
export async function deliverDirectMessage(
  job: ClaimedJob,
  spec: DirectMessageJobSpec,
  event: ReceivedEvent,
  state: DirectMessageState,
  { log, paced }: { log: Logger; paced: Paced },
): Promise<SendResult | undefined> {
  const { userId, reason, platform } = spec;
  const fields = { eventId: job.eventId, destination: job.destination, reason };
  const chat = state.people.chatPlatforms.get(platform);
  if (!chat || !isDirectMessageOn(state.config.mentions.directMessages, reason)) {
    log.info(fields, 'direct message not sent: such direct messages are no longer configured');
    return;
  }
  // The recipient first, and required: the rest of the people are names in the message, which
  // then reads what the store remembered of this lookup.
  const seen = peopleInEvent(event, state.config.mentions.maxPerEvent).people.get(userId) ?? {};
  const recipient = await state.people.identities.resolve(userId, seen, chat.platform, { required: true });
  const chatUserId = chatIdOf(recipient, chat.platform);
  if (chatUserId === undefined) {
    log.info(fields, `direct message not sent: no ${chat.platform} user found for this person`);
    return;
  }
  if (await state.preferences.dmOff({ platform: chat.platform, chatUserId, email: recipient?.email })) {
    log.info(fields, 'direct message not sent: they turned direct messages off (me dm off)');
    return;
  }
  if (isActor(recipient, event)) {
    log.info(fields, 'direct message not sent: it is about their own action');
    return;
  }
  // Their reader and the actor the dm templates name: not everyone the comment mentions.
  const actorId = actorOf(event).id;
  const only = actorId === undefined ? [userId] : [userId, actorId];
  const input = await state.people.enricher.enrich({ event }, chat.platform, { only });
  try {
    return await paced(() => sendDirect(chat, chatUserId, state.renderer, `dm-${reason}`, input, job));
  } catch (error) {
    if (!(error instanceof PersonUnreachableError)) throw error;
    log.info({ ...fields, code: error.code }, `direct message not sent: ${error.message}`);
    return undefined;
  }
}

/** Renders the message in the person's platform's format and writes it to them there. */
async function sendDirect<P extends Platform>(
  chat: ChatPlatform<P>,
  chatUserId: string,
  renderer: Renderer,
  template: string,
  input: RenderInput,
  job: ClaimedJob,
): Promise<SendResult> {
  const message = renderForDelivery(renderer, chat.platform, template, input);
  return chat.directMessages(chatUserId).send(message, sendContextOf(job));
}

/** Planning excluded the actor by id; an actor the event names by email only is caught here. */
function isActor(recipient: Person | undefined, event: CredoEvent): boolean {
  const actorEmail = actorOf(event).email;
  return actorEmail !== undefined && recipient?.email?.toLowerCase() === actorEmail.toLowerCase();
}
