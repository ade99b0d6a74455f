/**
 * A 429's or 503's Retry-After as seconds: a number, or an HTTP date (RFC 9110, 10.2.3). Slack's
 * and Teams' answers both carry it; undefined when there is none or it does not parse.
 */
export function retryAfterSeconds(header: string | null | undefined, now = Date.now()): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds;
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - now) / 1000));
}
