import { describe, expect, it } from 'vitest';
import { isQuietAt, quietHoursEnd } from '../../src/worker/quiet-hours.js';

const BERLIN = { from: '19:00', to: '08:00', timezone: 'Europe/Berlin' };
const at = (iso: string) => Date.parse(iso);

describe('quiet hours in the person’s time zone (issue 18)', () => {
  it('ends an evening’s quiet at the next morning’s 08:00 on the Berlin wall clock', () => {
    // Wednesday 21:00 in Berlin (CET, UTC+1).
    expect(quietHoursEnd(BERLIN, at('2026-12-02T20:00:00Z'))).toBe(at('2026-12-03T07:00:00Z'));
    // 02:00 the same night: still today's 08:00.
    expect(quietHoursEnd(BERLIN, at('2026-12-03T01:00:00Z'))).toBe(at('2026-12-03T07:00:00Z'));
  });

  it('is not quiet in the day, and from == to is never quiet', () => {
    expect(quietHoursEnd(BERLIN, at('2026-12-02T09:00:00Z'))).toBeUndefined();
    expect(isQuietAt({ ...BERLIN, to: '19:00' }, at('2026-12-02T20:00:00Z'))).toBe(false);
  });

  it('follows the clocks going forward: the night of the change ends at 08:00 summer time', () => {
    // Saturday 28 March 2026, 21:00 CET; clocks go to CEST (UTC+2) that night.
    expect(quietHoursEnd(BERLIN, at('2026-03-28T20:00:00Z'))).toBe(at('2026-03-29T06:00:00Z'));
  });

  it('follows the clocks going back in New York', () => {
    const newYork = { from: '22:00', to: '07:00', timezone: 'America/New_York' };
    // Saturday 31 October 2026, 23:00 EDT; on 1 November clocks go back to EST (UTC-5).
    expect(quietHoursEnd(newYork, at('2026-11-01T03:00:00Z'))).toBe(at('2026-11-01T12:00:00Z'));
  });

  it('with weekends, a Friday evening is quiet until Monday morning', () => {
    const weekends = { ...BERLIN, weekends: true };
    // Friday 4 December 2026, 20:00 in Berlin.
    expect(quietHoursEnd(weekends, at('2026-12-04T19:00:00Z'))).toBe(at('2026-12-07T07:00:00Z'));
    // Saturday noon is quiet too.
    expect(quietHoursEnd(weekends, at('2026-12-05T11:00:00Z'))).toBe(at('2026-12-07T07:00:00Z'));
  });
});
