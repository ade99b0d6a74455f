import type { ErrorCode } from '../errors.js';
import type { KnownEventType } from '../events/event-types.js';
import { EVENT_TYPES } from '../events/event-types.js';
import { eventTypesOf, GROUP_NAMES } from './event-groups.js';

/** Every use case, for `subscribe all`. */
export const ALL_USE_CASES = '*';

/** Quiet hours as stored: local times of `timezone`; `from` after `to` spans midnight. */
export interface QuietHours {
  from: string;
  to: string;
  timezone: string;
}

/** One chat command, read: the same words on every platform. */
export type ChatCommand =
  | { kind: 'subscribe'; useCase: string; events: KnownEventType[] }
  /** `events` undefined: everything this conversation gets of the use case. */
  | { kind: 'unsubscribe'; useCase: string; events: KnownEventType[] | undefined }
  | { kind: 'list' }
  | { kind: 'me' }
  | { kind: 'dm'; dm: 'on' | 'off' }
  | { kind: 'quiet'; quiet: QuietHours | undefined }
  | { kind: 'help' }
  | { kind: 'status' };

export type ParsedCommand =
  | { ok: true; command: ChatCommand }
  | { ok: false; code: ErrorCode; message: string; usage: string[] };

export const USAGE = [
  'subscribe <use case> [reviews tasks comments risk fields, or event types]',
  'unsubscribe <use case> [what]',
  'list',
  'me · me dm off|on · me quiet 19:00-08:00 Europe/Berlin · me quiet off',
  'help',
];

const USE_CASE_ID = /^[A-Za-z0-9_-]{1,64}$/;
const HOURS = /^([01]\d|2[0-3]):([0-5]\d)-([01]\d|2[0-3]):([0-5]\d)$/;

/**
 * Reads what someone typed after `/credo` or the bot's mention. Words are split on spaces and
 * commas; command words are case-insensitive, ids are not. Anything it cannot read is refused
 * with a code and the usage, before anything is looked up or stored.
 */
export function parseChatCommand(text: string): ParsedCommand {
  // Slack sends links as `<https://...>` or `<https://...|label>`, a label maybe of several words.
  const [word = 'help', ...rest] = text
    .replace(/<([^|>\s]+)(\|[^>]*)?>/g, '$1')
    .split(/[\s,]+/)
    .filter((part) => part !== '');
  switch (word.toLowerCase()) {
    case 'help':
      return ok({ kind: 'help' });
    case 'status':
      return ok({ kind: 'status' });
    case 'list':
      return rest.length === 0
        ? ok({ kind: 'list' })
        : refuse('CN_CHAT_USAGE', '`list` takes nothing after it.');
    case 'subscribe':
    case 'unsubscribe':
      return parseSubscription(word.toLowerCase() as 'subscribe' | 'unsubscribe', rest);
    case 'me':
      return parseMe(rest);
    default:
      return refuse('CN_CHAT_UNKNOWN_COMMAND', `I don't know "${word}".`);
  }
}

function parseSubscription(kind: 'subscribe' | 'unsubscribe', words: string[]): ParsedCommand {
  const [target, ...what] = words;
  if (target === undefined)
    return refuse('CN_CHAT_USAGE', `\`${kind}\` needs a use case: an id, its URL, or all.`);
  const useCase = useCaseOf(target);
  if (useCase === undefined) {
    return refuse(
      'CN_CHAT_BAD_USE_CASE',
      `"${target}" is not a use case: give its id, its Credo AI URL (…/use-cases/<id>), or all.`,
    );
  }
  const events = new Set<KnownEventType>();
  for (const word of what) {
    const types = eventTypesOf(word);
    if (!types) {
      return refuse(
        'CN_CHAT_UNKNOWN_GROUP',
        `"${word}" is no group or event type: use ${GROUP_NAMES.join(', ')}, or event types such as use_case_review_comment.`,
      );
    }
    for (const type of types) events.add(type);
  }
  const chosen = EVENT_TYPES.filter((type) => events.has(type));
  if (kind === 'unsubscribe') return ok({ kind, useCase, events: what.length === 0 ? undefined : chosen });
  return ok({ kind, useCase, events: what.length === 0 ? [...EVENT_TYPES] : chosen });
}

/** An id, `all`, or a Credo AI link to the use case (`https://app.credo.ai/<tenant>/use-cases/<id>/...`). */
function useCaseOf(word: string): string | undefined {
  if (word.toLowerCase() === 'all') return ALL_USE_CASES;
  if (USE_CASE_ID.test(word)) return word;
  if (!URL.canParse(word)) return undefined;
  const segments = new URL(word).pathname.split('/');
  const at = segments.indexOf('use-cases');
  const id = at >= 0 ? segments[at + 1] : undefined;
  return id !== undefined && USE_CASE_ID.test(id) ? id : undefined;
}

function parseMe(words: string[]): ParsedCommand {
  const [what, ...rest] = words.map((word, index) => (index < 2 ? word.toLowerCase() : word));
  if (what === undefined) return ok({ kind: 'me' });
  if (what === 'dm' && rest.length === 1 && (rest[0] === 'on' || rest[0] === 'off')) {
    return ok({ kind: 'dm', dm: rest[0] });
  }
  if (what === 'dm') return refuse('CN_CHAT_USAGE', 'Say `me dm off` or `me dm on`.');
  if (what === 'quiet' && rest.length === 1 && rest[0] === 'off')
    return ok({ kind: 'quiet', quiet: undefined });
  if (what === 'quiet') return parseQuiet(rest);
  return refuse('CN_CHAT_USAGE', `\`me\` takes dm or quiet, not "${what}".`);
}

function parseQuiet(words: string[]): ParsedCommand {
  const [hours, timezone, ...extra] = words;
  const times = hours === undefined ? null : HOURS.exec(hours);
  if (!times || timezone === undefined || extra.length > 0) {
    return refuse(
      'CN_CHAT_BAD_QUIET_HOURS',
      'Say for example `me quiet 19:00-08:00 Europe/Berlin`, or `me quiet off`.',
    );
  }
  const zone = canonicalTimeZone(timezone);
  if (zone === undefined) {
    return refuse(
      'CN_CHAT_BAD_TIME_ZONE',
      `"${timezone}" is no IANA time zone: say for example Europe/Berlin or America/New_York.`,
    );
  }
  const [, fromH, fromM, toH, toM] = times;
  return ok({ kind: 'quiet', quiet: { from: `${fromH}:${fromM}`, to: `${toH}:${toM}`, timezone: zone } });
}

/** The zone as Intl spells it (`europe/berlin` → `Europe/Berlin`), or undefined when Intl knows none. */
function canonicalTimeZone(zone: string): string | undefined {
  try {
    return new Intl.DateTimeFormat('en', { timeZone: zone }).resolvedOptions().timeZone;
  } catch {
    return undefined;
  }
}

function ok(command: ChatCommand): ParsedCommand {
  return { ok: true, command };
}

function refuse(code: ErrorCode, message: string): ParsedCommand {
  return { ok: false, code, message, usage: USAGE };
}
