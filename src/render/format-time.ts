import { canonicalTimeZone } from '../time-of-day.js';

/** Formats an instant for messages, e.g. "27 Nov 2026, 15:04 UTC", in one configured zone. */
export type TimeFormatter = (instant: Date) => string;

/**
 * Throws a RangeError for a zone Intl does not know, so a bad config fails at start. Intl's
 * formatter itself is made for the first message: made at start, it would load the time-zone
 * data (8 MB) into a server in UTC still waiting for one (see canonicalTimeZone).
 */
export function createTimeFormatter(timeZone: string): TimeFormatter {
  if (canonicalTimeZone(timeZone) === undefined) throw new RangeError(`unknown time zone: ${timeZone}`);
  let format: Intl.DateTimeFormat | undefined;
  const formatter = () => {
    format ??= new Intl.DateTimeFormat('en-US', {
      timeZone,
      day: 'numeric',
      month: 'short',
      year: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
      timeZoneName: 'short',
    });
    return format;
  };
  return (instant) => {
    const part = Object.fromEntries(
      formatter()
        .formatToParts(instant)
        .map((p) => [p.type, p.value]),
    );
    return `${part.day} ${part.month} ${part.year}, ${part.hour}:${part.minute} ${part.timeZoneName}`;
  };
}

/** When the event happened: the envelope's `time` when Credo AI sent a valid one, else arrival. */
export function eventInstant(time: string | undefined, receivedAt: number): Date {
  const sent = time === undefined ? Number.NaN : Date.parse(time);
  return new Date(Number.isNaN(sent) ? receivedAt : sent);
}
