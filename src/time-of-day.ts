/**
 * Times of day and time zones as people write them, in the config (`quietHours`) and in chat
 * (`/credo me quiet 19:00-08:00 Europe/Berlin`): one reading for both.
 */

/** HH:MM on a 24-hour clock. */
export const TIME_OF_DAY = /^([01]\d|2[0-3]):([0-5]\d)$/;

/** Quiet hours: local times of `timezone`; `from` after `to` spans midnight. */
export interface QuietHours {
  from: string;
  to: string;
  /** IANA name, e.g. Europe/Berlin. */
  timezone: string;
  /** Saturday and Sunday quiet all day, until Monday's `to`. */
  weekends?: boolean;
}

/** The zone as Intl spells it (`europe/berlin` → `Europe/Berlin`), or undefined when Intl knows none. */
export function canonicalTimeZone(zone: string): string | undefined {
  // The default, known to every Intl: asking would load the time-zone data at start, 8 MB of
  // memory and 70 ms, measured, which a server in UTC needs only for its first message.
  if (zone === 'UTC') return zone;
  try {
    return new Intl.DateTimeFormat('en', { timeZone: zone }).resolvedOptions().timeZone;
  } catch {
    return undefined;
  }
}
