/** The 15 event types Credo AI documents. New ones may appear at any time: see `UNKNOWN_EVENT`. */
export const USE_CASE_FIELD_EVENTS = [
  'use_case_governance_status_updated',
  'use_case_risk_category_level_updated',
  'use_case_name_updated',
  'use_case_icon_updated',
  'use_case_description_updated',
  'use_case_industries_updated',
  'use_case_regions_updated',
  'use_case_ai_type_updated',
  'use_case_is_vendor_updated',
  'use_case_questionnaire_ids_updated',
] as const;

/** `use_case_<field>_updated`: a use case's own metadata changed. */
export type UseCaseFieldEvent = (typeof USE_CASE_FIELD_EVENTS)[number];

export const EVENT_TYPES = [
  ...USE_CASE_FIELD_EVENTS,
  'use_case_custom_field_updated',
  'use_case_review_comment',
  'use_case_review_status_updated',
  'use_case_review_task_status_updated',
  'use_case_review_task_deleted',
] as const;

export type KnownEventType = (typeof EVENT_TYPES)[number];

/** The type given to events Credo AI sends that this version does not know yet. */
export const UNKNOWN_EVENT = 'unknown';
export type EventType = KnownEventType | typeof UNKNOWN_EVENT;

const known = new Set<string>(EVENT_TYPES);
export function isKnownEventType(name: string): name is KnownEventType {
  return known.has(name);
}
