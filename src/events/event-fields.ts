import type { CredoEvent } from './credo-event.js';
import type { CredoUser, TaggedUser } from './schemas.js';

/**
 * What an event says, read from its typed `data`: each field where its type carries it. Text
 * counts only when it is more than spaces, and is read trimmed, so an id or a name is the same
 * whichever message, lookup or routing rule reads it.
 */

export function nonEmptyText(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const trimmed = value.trim();
  return trimmed === '' ? undefined : trimmed;
}

export function useCaseIdOf(event: CredoEvent): string | undefined {
  return nonEmptyText(event.data.useCaseId);
}

export function reviewIdOf(event: CredoEvent): string | undefined {
  switch (event.type) {
    case 'use_case_review_comment':
    case 'use_case_review_status_updated':
    case 'use_case_review_task_status_updated':
    case 'use_case_review_task_deleted':
    case 'unknown':
      return nonEmptyText(event.data.reviewId);
    default:
      return undefined;
  }
}

/** Who acted (`data.user`, often partial). */
export function actorOf(event: CredoEvent): CredoUser | undefined {
  return event.data.user ?? undefined;
}

/** A review's status, or a task's. */
export function statusOf(event: CredoEvent): string | undefined {
  return event.type === 'use_case_review_status_updated' ||
    event.type === 'use_case_review_task_status_updated'
    ? nonEmptyText(event.data.status)
    : undefined;
}

/** A task's sub-status, such as `approve`. */
export function subStatusOf(event: CredoEvent): string | undefined {
  return event.type === 'use_case_review_task_status_updated'
    ? nonEmptyText(event.data.subStatus)
    : undefined;
}

/** A task's assignee and assigner, by Credo AI user id. */
export function taskPeopleOf(event: CredoEvent): { assigneeId?: string; assignerId?: string } {
  if (event.type !== 'use_case_review_task_status_updated' && event.type !== 'use_case_review_task_deleted') {
    return {};
  }
  return {
    assigneeId: nonEmptyText(event.data.assignedUserId),
    assignerId: nonEmptyText(event.data.assignerId),
  };
}

/** A Credo AI user named in a comment's `taggedUsers`, as `{user: name, user_id}`. */
export interface TaggedPerson {
  id: string;
  name?: string;
}

/** A review comment's text and the users it lists as tagged. */
export function commentOf(event: CredoEvent): { text?: string; tagged: TaggedPerson[] } {
  if (event.type !== 'use_case_review_comment') return { tagged: [] };
  return { text: nonEmptyText(event.data.comment), tagged: event.data.taggedUsers.flatMap(taggedPerson) };
}

function taggedPerson(tagged: TaggedUser): TaggedPerson[] {
  const id = nonEmptyText(tagged.user_id);
  return id === undefined ? [] : [{ id, name: nonEmptyText(tagged.user) }];
}

export interface CustomFieldChange {
  id?: string;
  name?: string;
  type?: string;
  /** Absent or null when the field was cleared. */
  value: unknown;
}

export function customFieldOf(event: CredoEvent): CustomFieldChange | undefined {
  if (event.type !== 'use_case_custom_field_updated') return undefined;
  const { customFieldId, customFieldName, customFieldType, value } = event.data;
  return {
    id: nonEmptyText(customFieldId),
    name: nonEmptyText(customFieldName),
    type: nonEmptyText(customFieldType),
    value,
  };
}

/** The type name an event repeats in its data (the delivered example does): names an unknown event. */
export function eventTypeInData(event: CredoEvent): string | undefined {
  return event.type === 'unknown' ? nonEmptyText(event.data.eventType) : undefined;
}
