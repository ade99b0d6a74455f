import type { EventType, UseCaseFieldEvent } from '../events/event-types.js';
import { humanize } from './readable-value.js';

/** What each kind of event is called in a message, and its icon when no status speaks for it. */

const FIELD_LABELS: Record<UseCaseFieldEvent, string> = {
  use_case_governance_status_updated: 'Governance status',
  use_case_risk_category_level_updated: 'Risk category level',
  use_case_name_updated: 'Name',
  use_case_icon_updated: 'Icon',
  use_case_description_updated: 'Description',
  use_case_industries_updated: 'Industries',
  use_case_regions_updated: 'Regions',
  use_case_ai_type_updated: 'AI type',
  use_case_is_vendor_updated: 'Vendor-provided',
  use_case_questionnaire_ids_updated: 'Questionnaires',
};

const OTHER_EVENTS: Record<Exclude<EventType, UseCaseFieldEvent>, { title: string; emoji: string }> = {
  use_case_custom_field_updated: { title: 'Custom field updated', emoji: '🏷️' },
  use_case_review_comment: { title: 'New review comment', emoji: '💬' },
  use_case_review_status_updated: { title: 'Review status updated', emoji: '📣' },
  use_case_review_task_status_updated: { title: 'Review task updated', emoji: '📌' },
  use_case_review_task_deleted: { title: 'Review task deleted', emoji: '🗑️' },
  unknown: { title: 'Credo AI event', emoji: '🔔' },
};

const FIELD_UPDATED_EMOJI = '✏️';

/** The use case field a `use_case_<field>_updated` event changed, or null for other events. */
export function changedField(type: EventType): { key: string; label: string } | null {
  if (!isFieldEvent(type)) return null;
  return { key: type.slice('use_case_'.length, -'_updated'.length), label: FIELD_LABELS[type] };
}

/**
 * The event's title. An unknown event is named after its own type (`data.eventType`, else the
 * longest snake_case segment of the raw type, e.g. "CredoAI.use_case_owner_updated.v1").
 */
export function eventTitle(type: EventType, rawType: string, eventTypeInData: unknown): string {
  if (isFieldEvent(type)) return `${FIELD_LABELS[type]} updated`;
  if (type !== 'unknown') return OTHER_EVENTS[type].title;
  const named = typeof eventTypeInData === 'string' ? eventTypeInData : longestSnakeSegment(rawType);
  return named ? humanize(named) : OTHER_EVENTS.unknown.title;
}

export function eventEmoji(type: EventType): string {
  return isFieldEvent(type) ? FIELD_UPDATED_EMOJI : OTHER_EVENTS[type].emoji;
}

function isFieldEvent(type: EventType): type is UseCaseFieldEvent {
  return type in FIELD_LABELS;
}

function longestSnakeSegment(rawType: string): string | undefined {
  return rawType
    .split('.')
    .filter((segment) => /^[a-z0-9]+(?:_[a-z0-9]+)+$/i.test(segment))
    .sort((a, b) => b.length - a.length)[0];
}
