import { EVENT_TYPES, type KnownEventType, USE_CASE_FIELD_EVENTS } from '../events/event-types.js';
import { eventTypeMatcher } from '../routing/route-event.js';

/**
 * The words a chat subscription takes for what it wants, each a set of the 15 event types: a
 * person thinks "reviews" or "tasks", not `use_case_review_task_status_updated`. Together they
 * cover every type once.
 */
export const EVENT_GROUPS = {
  reviews: ['use_case_review_status_updated'],
  tasks: ['use_case_review_task_status_updated', 'use_case_review_task_deleted'],
  comments: ['use_case_review_comment'],
  risk: ['use_case_governance_status_updated', 'use_case_risk_category_level_updated'],
  fields: [
    ...USE_CASE_FIELD_EVENTS.filter(
      (type) =>
        type !== 'use_case_governance_status_updated' && type !== 'use_case_risk_category_level_updated',
    ),
    'use_case_custom_field_updated',
  ],
} as const satisfies Record<string, readonly KnownEventType[]>;

export type EventGroup = keyof typeof EVENT_GROUPS;
export const GROUP_NAMES = Object.keys(EVENT_GROUPS) as EventGroup[];

/**
 * The known event types one word stands for: a group, an event type, or a glob over them.
 * Undefined when it stands for none. Globs are expanded now, so that unsubscribing a group
 * from `use_case_*` takes exactly those types away.
 */
export function eventTypesOf(word: string): KnownEventType[] | undefined {
  const lower = word.toLowerCase();
  if (Object.hasOwn(EVENT_GROUPS, lower)) return [...EVENT_GROUPS[lower as EventGroup]];
  const matches = eventTypeMatcher([lower]);
  const types = EVENT_TYPES.filter((type) => matches(type));
  return types.length > 0 ? types : undefined;
}

/** Event types said the short way: whole groups by their names, the rest by type, in list order. */
export function describeEventTypes(types: readonly string[]): string {
  const wanted = new Set(types);
  if (EVENT_TYPES.every((type) => wanted.has(type))) return 'everything';
  const words: string[] = [];
  for (const group of GROUP_NAMES) {
    const members: readonly string[] = EVENT_GROUPS[group];
    if (members.every((type) => wanted.has(type))) {
      words.push(group);
      for (const type of members) wanted.delete(type);
    }
  }
  return [...words, ...EVENT_TYPES.filter((type) => wanted.has(type))].join(', ');
}
