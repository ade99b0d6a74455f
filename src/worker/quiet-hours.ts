import { canonicalTimeZone, type QuietHours, TIME_OF_DAY } from '../time-of-day.js';

/**
 * When a person's quiet hours end (issue 18), read in their own time zone with Intl, so a
 * daylight saving change moves the instant with the clock on their wall. `from`..`to` may span
 * midnight (19:00..08:00); with `weekends`, Saturday and Sunday are quiet all day, until Monday's `to`.
 */

interface LocalTime {
  year: number;
  month: number;
  day: number;
  /** Minutes since local midnight. */
  minutes: number;
  /** 0 Sunday … 6 Saturday. */
  weekday: number;
}

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MINUTE_MS = 60_000;
/** A week of days is the longest any quiet stretch can be followed through. */
const MAX_DAYS_AHEAD = 8;

/** The instant `quiet` ends when `now` falls in it; undefined when `now` is not quiet. */
export function quietHoursEnd(quiet: QuietHours, now: number): number | undefined {
  if (!isQuietAt(quiet, now)) return undefined;
  const today = localTime(quiet.timezone, now);
  const to = minutesOf(quiet.to);
  // The next `to` after now, then day by day while that moment is still quiet (a weekend).
  let daysAhead = today.minutes < to ? 0 : 1;
  for (; daysAhead <= MAX_DAYS_AHEAD; daysAhead += 1) {
    const end = instantOf(quiet.timezone, today, daysAhead, to);
    if (end > now && !isQuietAt(quiet, end)) return end;
  }
  return undefined;
}

export function isQuietAt(quiet: QuietHours, at: number): boolean {
  const local = localTime(quiet.timezone, at);
  if (quiet.weekends && (local.weekday === 0 || local.weekday === 6)) return true;
  const from = minutesOf(quiet.from);
  const to = minutesOf(quiet.to);
  if (from === to) return false;
  return from < to
    ? local.minutes >= from && local.minutes < to
    : local.minutes >= from || local.minutes < to;
}

function minutesOf(hhmm: string): number {
  const [hours = 0, minutes = 0] = hhmm.split(':').map(Number);
  return hours * 60 + minutes;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function localTime(timeZone: string, at: number): LocalTime {
  let format = formatters.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      weekday: 'short',
    });
    formatters.set(timeZone, format);
  }
  const parts = Object.fromEntries(format.formatToParts(at).map((part) => [part.type, part.value]));
  return {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    minutes: Number(parts.hour) * 60 + Number(parts.minute),
    weekday: WEEKDAYS.indexOf(parts.weekday ?? ''),
  };
}

/**
 * The instant the wall clock in `timeZone` shows `minutes` past midnight, `daysAhead` days after
 * `day`. The zone's offset is read at a first guess and again at the result, which a DST change
 * between the two corrects; a time the change skips comes out an hour later, as clocks show it.
 */
function instantOf(timeZone: string, day: LocalTime, daysAhead: number, minutes: number): number {
  const wall = Date.UTC(day.year, day.month - 1, day.day + daysAhead, 0, minutes);
  let instant = wall - offsetAt(timeZone, wall);
  instant = wall - offsetAt(timeZone, instant);
  return instant;
}

/** How far the zone's wall clock is ahead of UTC at `at`, in ms. */
function offsetAt(timeZone: string, at: number): number {
  const local = localTime(timeZone, at);
  const wall = Date.UTC(local.year, local.month - 1, local.day, 0, local.minutes);
  return wall - Math.floor(at / MINUTE_MS) * MINUTE_MS;
}

/**
 * Whether quiet hours from outside the config (a person's own, typed in chat) can be read: the
 * config's are checked by its schema, these only here. Intl throws on an unknown zone.
 */
export function isValidQuietHours(quiet: QuietHours): boolean {
  return (
    TIME_OF_DAY.test(quiet.from) &&
    TIME_OF_DAY.test(quiet.to) &&
    canonicalTimeZone(quiet.timezone) !== undefined
  );
}
