import { statusOf } from '../events/event-fields.js';
import type { RenderInput } from '../render/renderer.js';
import type { ThreadMode } from './threads.js';

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
