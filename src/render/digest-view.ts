import {
  actorOf,
  customFieldOf,
  eventTypeInData,
  reviewIdOf,
  statusOf,
  useCaseIdOf,
} from '../events/event-fields.js';
import { reviewUrl, useCaseUrl } from './credo-links.js';
import { changedField, eventEmoji, eventTitle } from './event-labels.js';
import { eventInstant, type TimeFormatter } from './format-time.js';
import { personFromEventUser } from './person-view.js';
import { readableValue } from './readable-value.js';
import type { DigestOf } from './renderer.js';
import { statusView } from './status-labels.js';

/**
 * What `digest` templates see (issue 18): a headline saying who did what, one item per event with
 * its link into Credo AI, and how many were left out to keep within the platform's limits. Every
 * text here comes from Credo AI users: templates escape it as any other value, and no item
 * mentions anyone (a held event's people were pinged when it came).
 */
export interface DigestView {
  count: number;
  /** e.g. "María López changed 9 fields of Fraud Detection Model". */
  headline: string;
  /** For a direct message digest, e.g. "2 mentions, 1 task assigned". */
  reasons: string;
  items: DigestItemView[];
  /** Events not listed, past the platform's limits: "and N more". */
  more: number;
  /** Where the ones left out can be seen: the first event's use case in Credo AI. */
  moreUrl: string;
}

export interface DigestItemView {
  emoji: string;
  title: string;
  /** What changed, readable: "Risk category level: High", or "" when the event does not say. */
  change: string;
  /** Who did it, or null. */
  actor: string | null;
  useCase: string;
  url: string;
  time: string;
}

export interface DigestViewSettings {
  appUrl: string;
  formatTime: TimeFormatter;
  /** The first event's use case name, when looked up: the others of that use case share it. */
  useCaseName?: string;
}

export function digestView(digest: DigestOf, settings: DigestViewSettings): DigestView {
  const firstUseCase = digest.items[0] ? useCaseIdOf(digest.items[0].event) : undefined;
  const items = digest.items.map(({ event }): DigestItemView => {
    const useCaseId = useCaseIdOf(event) ?? null;
    const reviewId = reviewIdOf(event);
    const named = useCaseId !== null && useCaseId === firstUseCase ? settings.useCaseName : undefined;
    return {
      emoji: eventEmoji(event.type),
      title: eventTitle(event.type, event.rawType, eventTypeInData(event)),
      change: changeOf(event),
      actor: personFromEventUser(actorOf(event), {})?.label ?? null,
      useCase: named ?? useCaseId ?? 'a use case',
      url:
        useCaseId !== null && reviewId !== undefined
          ? reviewUrl(settings.appUrl, useCaseId, reviewId)
          : useCaseUrl(settings.appUrl, useCaseId),
      time: settings.formatTime(eventInstant(event.time, event.receivedAt)),
    };
  });
  return {
    count: items.length,
    headline: headlineOf(digest, items),
    reasons: reasonsOf(digest),
    items,
    more: 0,
    moreUrl: useCaseUrl(settings.appUrl, firstUseCase ?? null),
  };
}

/** The view listing only the first `shown` items, the rest counted as "more". */
export function digestShowing(view: DigestView, shown: number): DigestView {
  return { ...view, items: view.items.slice(0, shown), more: view.count - Math.min(shown, view.count) };
}

type DigestEvent = DigestOf['items'][number]['event'];

function changeOf(event: DigestEvent): string {
  const field = changedField(event.type);
  if (field) {
    const value = (event.data as Record<string, unknown>)[camelCase(field.key)];
    return value === undefined ? field.label : `${field.label}: ${readableValue(value)}`;
  }
  const custom = customFieldOf(event);
  if (custom) return `${custom.name ?? 'Custom field'}: ${readableValue(custom.value)}`;
  const status = statusOf(event);
  return status === undefined ? '' : `now ${statusView(status).label}`;
}

/** `risk_category_level` → `riskCategoryLevel`, the data key a field event carries its value in. */
function camelCase(key: string): string {
  return key.replace(/_([a-z])/g, (_, letter: string) => letter.toUpperCase());
}

function headlineOf(digest: DigestOf, items: readonly DigestItemView[]): string {
  const count = items.length;
  const useCases = new Set(items.map((item) => item.useCase));
  const where = useCases.size === 1 ? ` of ${items[0]?.useCase}` : '';
  const actors = new Set(items.map((item) => item.actor ?? 'Someone'));
  const who = actors.size === 1 ? [...actors][0] : `${actors.size} people`;
  const types = new Set(digest.items.map(({ event }) => event.type));
  const allFields = digest.items.every(
    ({ event }) => changedField(event.type) !== null || event.type === 'use_case_custom_field_updated',
  );
  if (allFields) return `${who} changed ${count} fields${where}`;
  if (types.size === 1 && types.has('use_case_review_task_status_updated'))
    return `${count} review tasks${where} were updated`;
  return `${count} updates${where}`;
}

const REASON_WORDS = {
  tagged: ['mention', 'mentions'],
  assigned: ['task assigned', 'tasks assigned'],
} as const;

function reasonsOf(digest: DigestOf): string {
  const counts = new Map<keyof typeof REASON_WORDS, number>();
  for (const { reason } of digest.items) if (reason) counts.set(reason, (counts.get(reason) ?? 0) + 1);
  return [...counts].map(([reason, n]) => `${n} ${REASON_WORDS[reason][n === 1 ? 0 : 1]}`).join(', ');
}
