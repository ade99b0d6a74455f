import type { ReceivedEvent } from '../events/credo-event.js';
import {
  actorOf,
  type CustomFieldChange,
  commentOf,
  customFieldOf,
  eventTypeInData,
  nonEmptyText,
  reviewIdOf,
  statusOf,
  subStatusOf,
  taskPeopleOf,
  useCaseIdOf,
} from '../events/event-fields.js';
import { reviewUrl, useCaseUrl } from './credo-links.js';
import { type DigestView, digestView } from './digest-view.js';
import { changedField, eventEmoji, eventTitle } from './event-labels.js';
import { eventInstant, type TimeFormatter } from './format-time.js';
import { cutOutsideMentions, splitMentions, type TextPart } from './mentions.js';
import { peopleInEvent } from './people-in-event.js';
import {
  type People,
  type PersonView,
  personById,
  personFromEventUser,
  withEventActor,
} from './person-view.js';
import { humanize, readableValue } from './readable-value.js';
import type { RenderInput, ThreadParentOf } from './renderer.js';
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
  /** What a digest gathers (issue 18); for a lone event, a digest of that one. */
  digest: DigestView;
}

export interface ViewSettings {
  appUrl: string;
  formatTime: TimeFormatter;
  /** `mentions.maxPerEvent`: the people past it are shown by the name the event gives, never mentioned. */
  maxMentionsPerEvent: number;
}

/**
 * The most of a comment a message renders: more than the longest text a platform shows (a
 * Teams text block, 8,000), whose limits then cut what is shown. Every job of an event renders
 * it again: whole, a comment of half a megabyte cost each job 40 to 180 ms of a blocked event
 * loop, split, escaped and parsed (issue 14).
 */
const COMMENT_RENDERED_MAX = 10_000;
/** The most tagged users a message lists: more than fit in a platform's longest text, for the same reason. */
const TAGGED_USERS_SHOWN_MAX = 1_000;

/** Fields that identify rather than describe: shown as the use case, review link and actor. */
const IDENTITY_FIELDS = new Set(['useCaseId', 'reviewId', 'user', 'eventType']);

export function buildView(input: RenderInput, settings: ViewSettings): MessageView {
  const view = eventView(input, settings);
  return input.threadParent ? threadParentView(view, input.event, input.threadParent) : view;
}

function eventView(input: RenderInput, settings: ViewSettings): MessageView {
  const { event } = input;
  const actor = personFromEventUser(actorOf(event), input.people ?? {});
  const people = withEventActor(input.people ?? {}, actor);
  const status = statusOf(event);
  const subStatus = subStatusOf(event);
  const statusShown = status === undefined ? null : statusView(status);
  const { assigneeId, assignerId } = taskPeopleOf(event);
  const comment = commentOf(event);
  const commentText = comment.text && cutOutsideMentions(comment.text, COMMENT_RENDERED_MAX);
  // The people the enricher may have looked up; everyone else is shown with what the event says.
  const mentionable = new Set(peopleInEvent(event, settings.maxMentionsPerEvent).people.keys());
  const known = (id: string) => (mentionable.has(id) ? people : {});
  return {
    event: {
      id: event.id,
      type: event.type,
      rawType: event.rawType,
      title: eventTitle(event.type, event.rawType, eventTypeInData(event)),
      emoji: statusShown?.emoji ?? eventEmoji(event.type),
      time: settings.formatTime(eventInstant(event.time, event.receivedAt)),
    },
    appUrl: settings.appUrl,
    ...useCaseAndReview(useCaseIdOf(event), reviewIdOf(event), input.useCaseName, settings.appUrl),
    actor,
    status: statusShown,
    subStatus: subStatus === undefined || subStatus === 'none' ? null : statusView(subStatus),
    assignee: optionalPerson(assigneeId, people),
    assigner: optionalPerson(assignerId, people),
    comment:
      commentText === undefined
        ? null
        : { text: commentText, parts: splitMentions(commentText, people, mentionable) },
    taggedUsers: comment.tagged
      .slice(0, TAGGED_USERS_SHOWN_MAX)
      .map((tagged) => personById(tagged.id, known(tagged.id), tagged.name)),
    customField: customFieldView(customFieldOf(event)),
    field: changedField(event.type),
    details: detailsOf(event.data),
    data: event.data,
    // A lone event reads as a digest of one, so any template can use `digest` and `check` can
    // render the digest templates with every sample.
    digest: digestView(input.digest ?? { items: [{ event }] }, {
      appUrl: settings.appUrl,
      formatTime: settings.formatTime,
      useCaseName: nonEmptyText(input.useCaseName),
    }),
  };
}

/**
 * What `thread-parent` sees: the thread's use case (and review, with `thread: review`) and the
 * status it shows; of the event that started or updated the thread, only `event`.
 */
function threadParentView(view: MessageView, event: ReceivedEvent, parent: ThreadParentOf): MessageView {
  const status = parent.status === null ? null : statusView(parent.status);
  const review = parent.review ? view.review : null;
  const data = {
    useCaseId: view.useCase.id ?? undefined,
    ...(review && { reviewId: review.id }),
    ...(parent.status !== null && { status: parent.status }),
  };
  return {
    ...view,
    event: { ...view.event, emoji: status?.emoji ?? eventEmoji(event.type) },
    review,
    actor: null,
    status,
    subStatus: null,
    assignee: null,
    assigner: null,
    comment: null,
    taggedUsers: [],
    customField: null,
    details: detailsOf(data),
    data,
  };
}

function detailsOf(data: Record<string, unknown>): MessageView['details'] {
  return Object.entries(data)
    .filter(([key]) => !IDENTITY_FIELDS.has(key))
    .map(([key, value]) => ({ key, label: humanize(key), value: readableValue(value) }));
}

function useCaseAndReview(
  useCaseId: string | undefined,
  reviewId: string | undefined,
  useCaseName: string | undefined,
  appUrl: string,
): Pick<MessageView, 'useCase' | 'review'> {
  const id = useCaseId ?? null;
  const name = nonEmptyText(useCaseName) ?? null;
  return {
    useCase: { id, name, label: name ?? (id === null ? 'a use case' : id), url: useCaseUrl(appUrl, id) },
    review:
      reviewId === undefined
        ? null
        : { id: reviewId, url: id === null ? useCaseUrl(appUrl, null) : reviewUrl(appUrl, id, reviewId) },
  };
}

function customFieldView(field: CustomFieldChange | undefined): MessageView['customField'] {
  if (field === undefined || (field.id === undefined && field.name === undefined)) return null;
  return {
    id: field.id ?? null,
    name: field.name ?? 'Custom field',
    type: field.type ?? null,
    value: readableValue(field.value),
  };
}

function optionalPerson(id: string | undefined, people: People): PersonView | null {
  return id === undefined ? null : personById(id, people);
}
