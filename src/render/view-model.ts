import { reviewUrl, useCaseUrl } from './credo-links.js';
import { changedField, eventEmoji, eventTitle } from './event-labels.js';
import { eventInstant, type TimeFormatter } from './format-time.js';
import { splitMentions, type TextPart } from './mentions.js';
import {
  type People,
  type PersonView,
  personById,
  personFromEventUser,
  withEventActor,
} from './person-view.js';
import { humanize, readableValue } from './readable-value.js';
import type { RenderInput } from './renderer.js';
import { type StatusView, statusView } from './status-labels.js';

/**
 * What every template receives, the same on every platform (templates/README.md documents it).
 * Every key is always present, null or empty when the event does not carry it: templates are
 * compiled strict, so a misspelt name fails in `check` instead of printing nothing.
 */
export interface MessageView {
  event: {
    id: string;
    type: string;
    rawType: string;
    title: string;
    /** The status emoji when the event has a status, else the event kind's icon. */
    emoji: string;
    /** In the configured time zone, e.g. "27 Nov 2026, 15:04 UTC". */
    time: string;
  };
  appUrl: string;
  useCase: { id: string | null; name: string | null; label: string; url: string };
  review: { id: string; url: string } | null;
  /** Who did it (`data.user`). */
  actor: PersonView | null;
  status: StatusView | null;
  subStatus: StatusView | null;
  assignee: PersonView | null;
  assigner: PersonView | null;
  comment: { text: string; parts: TextPart[] } | null;
  taggedUsers: PersonView[];
  customField: { id: string | null; name: string; type: string | null; value: string } | null;
  /** For `use_case_<field>_updated`: the field that changed. */
  field: { key: string; label: string } | null;
  /** Every data field but the use case, review and actor, readable: the new value(s) of a change. */
  details: Array<{ key: string; label: string; value: string }>;
  data: Record<string, unknown>;
}

export interface ViewSettings {
  appUrl: string;
  formatTime: TimeFormatter;
}

/** Fields that identify rather than describe: shown as the use case, review link and actor. */
const IDENTITY_FIELDS = new Set(['useCaseId', 'reviewId', 'user', 'eventType']);

export function buildView(input: RenderInput, settings: ViewSettings): MessageView {
  const { event } = input;
  const data = event.data;
  const actor = personFromEventUser(data.user, input.people ?? {});
  const people = withEventActor(input.people ?? {}, actor);
  const status = optionalText(data.status);
  const subStatus = optionalText(data.subStatus);
  const statusShown = status === null ? null : statusView(status);
  return {
    event: {
      id: event.id,
      type: event.type,
      rawType: event.rawType,
      title: eventTitle(event.type, event.rawType, data.eventType),
      emoji: statusShown?.emoji ?? eventEmoji(event.type),
      time: settings.formatTime(eventInstant(event.time, event.receivedAt)),
    },
    appUrl: settings.appUrl,
    ...useCaseAndReview(data, input.useCaseName, settings.appUrl),
    actor,
    status: statusShown,
    subStatus: subStatus === null || subStatus === 'none' ? null : statusView(subStatus),
    assignee: optionalPerson(data.assignedUserId, people),
    assigner: optionalPerson(data.assignerId, people),
    comment: commentView(data.comment, people),
    taggedUsers: taggedUsers(data.taggedUsers, people),
    customField: customFieldView(data),
    field: changedField(event.type),
    details: Object.entries(data)
      .filter(([key]) => !IDENTITY_FIELDS.has(key))
      .map(([key, value]) => ({ key, label: humanize(key), value: readableValue(value) })),
    data,
  };
}

function useCaseAndReview(
  data: Record<string, unknown>,
  useCaseName: string | undefined,
  appUrl: string,
): Pick<MessageView, 'useCase' | 'review'> {
  const id = optionalText(data.useCaseId);
  const name = optionalText(useCaseName);
  const reviewId = optionalText(data.reviewId);
  return {
    useCase: { id, name, label: name ?? (id === null ? 'a use case' : id), url: useCaseUrl(appUrl, id) },
    review:
      reviewId === null
        ? null
        : { id: reviewId, url: id === null ? useCaseUrl(appUrl, null) : reviewUrl(appUrl, id, reviewId) },
  };
}

function commentView(comment: unknown, people: People): MessageView['comment'] {
  const text = optionalText(comment);
  return text === null ? null : { text, parts: splitMentions(text, people) };
}

function taggedUsers(tagged: unknown, people: People): PersonView[] {
  if (!Array.isArray(tagged)) return [];
  return tagged.flatMap((entry: unknown) => {
    const fields = typeof entry === 'object' && entry !== null ? (entry as Record<string, unknown>) : {};
    const id = optionalText(fields.user_id);
    return id === null ? [] : [personById(id, people, optionalText(fields.user) ?? undefined)];
  });
}

function customFieldView(data: Record<string, unknown>): MessageView['customField'] {
  const id = optionalText(data.customFieldId);
  const name = optionalText(data.customFieldName);
  if (id === null && name === null) return null;
  return {
    id,
    name: name ?? 'Custom field',
    type: optionalText(data.customFieldType),
    value: readableValue(data.value),
  };
}

function optionalPerson(id: unknown, people: People): PersonView | null {
  const text = optionalText(id);
  return text === null ? null : personById(text, people);
}

function optionalText(value: unknown): string | null {
  return typeof value === 'string' && value.trim() !== '' ? value : null;
}
