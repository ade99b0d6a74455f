import type { Clock } from '../clock.js';
import type { Config } from '../config/schema.js';
import { type CredoEvent, type ReceivedEvent, readEvent } from '../events/credo-event.js';
import type { Logger } from '../log.js';
import type { Platform } from '../messages.js';
import { type ChatPlatform, PersonUnreachableError } from '../notify/chat-platform.js';
import type { SendResult } from '../notify/notifier.js';
import { chatIdOf } from '../people/identity-resolver.js';
import type { People } from '../people/people.js';
import { actorOf, peopleInEvent } from '../render/people-in-event.js';
import type { DigestOf, Person, Renderer, RenderInput } from '../render/renderer.js';
import type { ClaimedJob, DirectMessageJobSpec, JobQueue } from '../store/store.js';
import type { PreferenceBook } from '../subscriptions/preferences.js';
import type { QuietHours } from '../time-of-day.js';
import { isDirectMessageOn } from './direct-messages.js';
import { HoldForDigest } from './hold.js';
import { renderForDelivery, sendContextOf } from './job-message.js';
import { isValidQuietHours, quietHoursEnd } from './quiet-hours.js';
import type { Paced } from './worker.js';

/** What a direct message reads of the current config. */
export interface DirectMessageState {
  config: Config;
  renderer: Renderer;
  people: People;
  /**
   * The person's own word (`me dm off`, `me quiet …`), within what the config sends: read once
   * per direct message, for both.
   */
  preferences: Pick<PreferenceBook, 'latestOf'>;
}

/** What sending a direct message needs beside the config. */
export interface DirectMessageDeps {
  log: Logger;
  paced: Paced;
  clock: Clock;
  store: Pick<JobQueue, 'gatherDigest'>;
  onDigestSent?: (job: ClaimedJob, events: number) => void;
}

/** The key a direct message held for quiet hours waits under, in its person's queue. */
const QUIET_HOURS_KEY = 'quiet-hours';
/** `templates/<platform>/dm-digest.hbs`: "While you were away: 2 mentions, 1 task assigned". */
export const DM_DIGEST_TEMPLATE = 'dm-digest';

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
  deps: DirectMessageDeps,
): Promise<SendResult | undefined> {
  const { log, paced } = deps;
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
  const own = await state.preferences.latestOf({
    platform: chat.platform,
    chatUserId,
    email: recipient?.email,
  });
  if (own?.dm === 'off') {
    log.info(fields, 'direct message not sent: they turned direct messages off (me dm off)');
    return;
  }
  if (isActor(recipient, event)) {
    log.info(fields, 'direct message not sent: it is about their own action');
    return;
  }
  const digest = await digestOfDirectMessage(job, spec, own?.quiet, state, deps);
  // Their reader and the actor the dm templates name: not everyone the comment mentions.
  const actorId = actorOf(event).id;
  const only = actorId === undefined ? [userId] : [userId, actorId];
  const input = await state.people.enricher.enrich({ event }, chat.platform, { only });
  const template = digest ? DM_DIGEST_TEMPLATE : `dm-${reason}`;
  try {
    const sent = await paced(() =>
      sendDirect(chat, chatUserId, state.renderer, template, digest ? { ...input, digest } : input, job),
    );
    if (digest) deps.onDigestSent?.(job, digest.items.length);
    return sent;
  } catch (error) {
    if (!(error instanceof PersonUnreachableError)) throw error;
    log.info({ ...fields, code: error.code }, `direct message not sent: ${error.message}`);
    return undefined;
  }
}

/**
 * Quiet hours (issue 18): a direct message due while its person's are on is held (thrown) until
 * they end, in their time zone, unless its reason is urgent. The one that is then claimed first
 * gathers the others held with it: together they go as one digest, alone as its own message.
 */
async function digestOfDirectMessage(
  job: ClaimedJob,
  spec: DirectMessageJobSpec,
  ownQuiet: QuietHours | undefined,
  state: DirectMessageState,
  deps: DirectMessageDeps,
): Promise<DigestOf | undefined> {
  if (job.heldFor !== undefined) {
    const gathered = await deps.store.gatherDigest(job.id);
    if (gathered.length < 2) return undefined;
    return {
      items: gathered.map((held) => ({
        event: readEvent(held.event),
        ...(held.spec.kind === 'dm' && { reason: held.spec.reason }),
      })),
    };
  }
  const configured = state.config.mentions.directMessages.quietHours;
  if (configured?.urgent.includes(spec.reason)) return undefined;
  const quiet = readableQuietHours(job, ownQuiet, deps) ?? configured;
  const end = quiet && quietHoursEnd(quiet, deps.clock.now());
  if (end !== undefined) throw new HoldForDigest(end, QUIET_HOURS_KEY, 'quiet_hours');
  return undefined;
}

/** The person's own quiet hours; unreadable ones are logged with their code and left out. */
function readableQuietHours(
  job: ClaimedJob,
  own: QuietHours | undefined,
  deps: DirectMessageDeps,
): QuietHours | undefined {
  if (own === undefined || isValidQuietHours(own)) return own;
  deps.log.warn(
    { eventId: job.eventId, destination: job.destination, code: 'CN_QUIET_HOURS_INVALID' },
    "this person's own quiet hours cannot be read; the config's apply",
  );
  return undefined;
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
