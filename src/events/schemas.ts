import { z } from 'zod';
import {
  type EventType,
  type KnownEventType,
  type UNKNOWN_EVENT,
  USE_CASE_FIELD_EVENTS,
  type UseCaseFieldEvent,
} from './event-types.js';
import { toValidated, type Validated } from './validation-issues.js';

/**
 * The shape of a delivery: the envelope, then one schema per event type for its `data`. Strict on
 * the fields messages use, loose on the rest: an extra field is something to show, and a refused
 * delivery only makes Svix retry it for a day. Optional fields also take null, which is how "not
 * set" tends to arrive.
 */

/** Only `type` and `data` appear in every example of the guides. */
export const envelopeSchema = z.looseObject({
  // An event type is a short name; control characters (a NUL above all, which PostgreSQL
  // cannot store) mean a broken payload, answered 400 rather than a 503 Svix retries for a day.
  type: z
    .string()
    .min(1)
    .max(256)
    .regex(/^[^\p{Cc}]*$/u, 'must be an event type name without control characters'),
  data: z.record(z.string(), z.unknown()),
  time: z.string().optional(),
  source: z.string().optional(),
  subject: z.string().optional(),
});

const id = z.string().min(1);
const optionalText = z.string().nullish();

export const credoUserSchema = z.looseObject({
  email: optionalText,
  userId: optionalText,
  givenName: optionalText,
  familyName: optionalText,
  nickname: optionalText,
  role: optionalText,
  job: optionalText,
});

/** A user mentioned in a comment, written `@[John Doe](users:MMC8qELwNoq9V27Y2cvqHf)` in its text. */
export const taggedUserSchema = z.looseObject({ user: z.string(), user_id: id });

const useCaseEventData = z.looseObject({ useCaseId: id, user: credoUserSchema.nullish() });
const reviewEventData = useCaseEventData.extend({ reviewId: id });
const taskEventData = reviewEventData.extend({ assignedUserId: optionalText, assignerId: optionalText });

/** The guides show no example: the new value arrives under a name we do not know yet. */
export const useCaseFieldUpdatedDataSchema = useCaseEventData;

export const customFieldUpdatedDataSchema = useCaseEventData.extend({
  customFieldId: id,
  customFieldName: z.string(),
  customFieldType: optionalText,
  /** Absent or null when the field was cleared. */
  value: z.json().optional(),
});

export const reviewCommentDataSchema = reviewEventData.extend({
  comment: z.string(),
  taggedUsers: z.array(taggedUserSchema).default([]),
});

export const reviewStatusUpdatedDataSchema = reviewEventData.extend({ status: z.string() });

export const reviewTaskStatusUpdatedDataSchema = taskEventData.extend({
  status: z.string(),
  subStatus: optionalText,
});

export const reviewTaskDeletedDataSchema = taskEventData;

/**
 * Events this version does not know: anything goes, as long as it is an object. What such an
 * event says of its use case, review and actor (the guides show `useCaseId` and `user` on every
 * event) is read when it has the usual shape, and left out when not.
 */
export const unknownEventDataSchema = z.looseObject({
  useCaseId: z.string().optional().catch(undefined),
  reviewId: z.string().optional().catch(undefined),
  user: credoUserSchema.optional().catch(undefined),
  /** The event type as the delivered example repeats it in `data`, which names an unknown event. */
  eventType: z.string().optional().catch(undefined),
});

const useCaseFieldSchemas = Object.fromEntries(
  USE_CASE_FIELD_EVENTS.map((type) => [type, useCaseFieldUpdatedDataSchema]),
) as Record<UseCaseFieldEvent, typeof useCaseFieldUpdatedDataSchema>;

export const eventDataSchemas = {
  ...useCaseFieldSchemas,
  use_case_custom_field_updated: customFieldUpdatedDataSchema,
  use_case_review_comment: reviewCommentDataSchema,
  use_case_review_status_updated: reviewStatusUpdatedDataSchema,
  use_case_review_task_status_updated: reviewTaskStatusUpdatedDataSchema,
  use_case_review_task_deleted: reviewTaskDeletedDataSchema,
  unknown: unknownEventDataSchema,
} satisfies Record<KnownEventType | typeof UNKNOWN_EVENT, z.ZodType>;

export type CredoUser = z.infer<typeof credoUserSchema>;
export type TaggedUser = z.infer<typeof taggedUserSchema>;

/** The validated `data` of an event of type `T`. */
export type EventData<T extends EventType = EventType> = z.infer<(typeof eventDataSchemas)[T]>;

/** Validates an envelope's `data` against its type's schema; issues name fields as `data.reviewId`. */
export function parseEventData<T extends EventType>(type: T, data: unknown): Validated<EventData<T>> {
  // The registry has a schema for every EventType, and the one found is T's.
  const schema: z.ZodType = eventDataSchemas[type];
  return toValidated(schema.safeParse(data), 'data') as Validated<EventData<T>>;
}
