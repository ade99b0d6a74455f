import type { Route } from '../config/schema.js';
import { codeOf } from '../errors.js';
import type { CredoEvent } from '../events/credo-event.js';
import { reviewIdOf, statusOf, useCaseIdOf } from '../events/event-fields.js';
import type { Logger } from '../log.js';
import type { Notifier, SendContext, SendResult } from '../notify/notifier.js';
import type { RenderInput } from '../render/renderer.js';
import type { KeyValueState } from '../store/store.js';

/**
 * Threads: with `thread: review` (or `useCase`) on a route, the first message about a review in
 * a destination is a parent that shows the review's status, and the events are replies under
 * it. The parent is remembered in the store (so threads survive restarts) and updated in place
 * when the status changes.
 */

export type ThreadMode = Route['thread'];

/** A thread's parent message, as remembered. */
export interface ThreadParent {
  messageId: string;
  /** Where it was posted, for the update (Slack's chat.update takes only channel ids). */
  channelId?: string;
  /** The review status it shows; null until an event reported one. */
  status: string | null;
}

const NAMESPACE = 'thread';
/** A thread quiet for this long is forgotten: the next message about its subject starts a new one. */
const THREAD_MEMORY_MS = 90 * 24 * 3_600_000;

/** The review or use case id a thread of this mode is about, when the event names one. */
export function threadSubjectOf(mode: ThreadMode, event: CredoEvent): string | undefined {
  if (mode === 'review') return reviewIdOf(event);
  return mode === 'useCase' ? useCaseIdOf(event) : undefined;
}

export interface ThreadedSend<M> {
  store: KeyValueState;
  now: () => number;
  log: Logger;
  notifier: Notifier<M>;
  /** Whether the destination can replace its parent message to show a new status. */
  canUpdate: boolean;
  context: SendContext;
  mode: ThreadMode;
  /** The review or use case id. */
  subject: string;
  /** The event's own message. */
  message: M;
  /** The parent message, showing `status`. */
  parent(status: string | null): M;
  /** The review status this event reports, if it reports one. */
  status: string | undefined;
}

/**
 * Posts the event as a reply in its thread, starting the thread first when there is none. The
 * parent is remembered as soon as it is posted, so a retry after a failed reply never posts a
 * second parent. A failed update of the parent only leaves it showing the older status (logged):
 * failing the job would post the reply again.
 */
export async function sendInThread<M>(send: ThreadedSend<M>): Promise<SendResult> {
  const { store, notifier, context } = send;
  const key = `${context.destination}:${send.mode}:${send.subject}`;
  let parent = await rememberedParent(store, key, send.now());
  if (!parent) {
    const status = send.status ?? null;
    const posted = await notifier.send(send.parent(status), context);
    if (posted.messageId === undefined) return notifier.send(send.message, context);
    parent = { messageId: posted.messageId, channelId: posted.channelId, status };
    await remember(store, key, parent, send.now());
  }
  const sent = await notifier.send(send.message, { ...context, threadId: parent.messageId });
  if (send.canUpdate && send.status !== undefined && send.status !== parent.status) {
    parent = await updateParent(send, parent, send.status);
  }
  // Every message keeps the thread in memory a while longer.
  await remember(store, key, parent, send.now());
  return sent;
}

async function updateParent<M>(
  send: ThreadedSend<M>,
  parent: ThreadParent,
  status: string,
): Promise<ThreadParent> {
  try {
    await send.notifier.send(send.parent(status), {
      ...send.context,
      updateId: parent.messageId,
      channelId: parent.channelId,
    });
    return { ...parent, status };
  } catch (error) {
    send.log.warn(
      {
        eventId: send.context.eventId,
        destination: send.context.destination,
        code: codeOf(error),
        error: (error as Error).message,
      },
      'could not update the thread parent; it shows the previous status',
    );
    return parent;
  }
}

async function rememberedParent(
  store: KeyValueState,
  key: string,
  now: number,
): Promise<ThreadParent | undefined> {
  const value = await store.kvGet(NAMESPACE, key, now);
  return value === undefined ? undefined : (JSON.parse(value) as ThreadParent);
}

function remember(store: KeyValueState, key: string, parent: ThreadParent, now: number): Promise<void> {
  return store.kvSet(NAMESPACE, key, JSON.stringify(parent), now + THREAD_MEMORY_MS);
}

/** `templates/<platform>/thread-parent.hbs`: the message a thread hangs under. */
export const THREAD_PARENT_TEMPLATE = 'thread-parent';

/** The review status an event reports. Only a review status update does: a task's status is the task's. */
export function reviewStatusOf(input: RenderInput): string | undefined {
  return input.event.type === 'use_case_review_status_updated' ? statusOf(input.event) : undefined;
}

/**
 * What the parent is rendered from: the thread's use case (and review), the status to show, and
 * nothing else of the event that happened to start the thread.
 */
export function threadParentInput(input: RenderInput, mode: ThreadMode, status: string | null): RenderInput {
  return { ...input, threadParent: { review: mode === 'review', status } };
}
