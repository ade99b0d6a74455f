import { describe, expect, it } from 'vitest';
import { Pacer } from '../../src/worker/pacer.js';

const ONE_PER_SECOND = [{ limit: 1, perMs: 1_000 }];
/** Teams' documented bot limits per conversation (issue 15 will apply them). */
const TEAMS_WINDOWS = [
  { limit: 7, perMs: 1_000 },
  { limit: 8, perMs: 2_000 },
  { limit: 60, perMs: 30_000 },
];

/** Sends to `destination` as soon as the pacer allows, from `start`: when each went out. */
function sendTimes(pacer: Pacer, windows: typeof TEAMS_WINDOWS, count: number, start = 0): number[] {
  const times: number[] = [];
  let now = start;
  for (let i = 0; i < count; i++) {
    now += pacer.delay('risk-team', windows, now);
    pacer.book('risk-team', windows, now);
    times.push(now);
  }
  return times;
}

describe('Pacer', () => {
  it('spaces sends one interval apart from when the last one went out', () => {
    const pacer = new Pacer();
    expect(pacer.delay('governance', ONE_PER_SECOND, 0)).toBe(0);
    pacer.book('governance', ONE_PER_SECOND, 10_000);
    expect(pacer.delay('governance', ONE_PER_SECOND, 10_000)).toBe(1_000);
    expect(pacer.delay('governance', ONE_PER_SECOND, 10_400)).toBe(600);
    expect(pacer.delay('governance', ONE_PER_SECOND, 11_000)).toBe(0);
  });

  it('paces each destination on its own', () => {
    const pacer = new Pacer();
    pacer.book('governance', ONE_PER_SECOND, 0);
    expect(pacer.delay('audit', ONE_PER_SECOND, 0)).toBe(0);
  });

  it('lets a burst up to the limit through, then waits for the window to slide', () => {
    const times = sendTimes(new Pacer(), [{ limit: 3, perMs: 1_000 }], 5);
    expect(times).toEqual([0, 0, 0, 1_000, 1_000]);
  });

  it('keeps every window at once: never more than any limit in any window', () => {
    const times = sendTimes(new Pacer(), TEAMS_WINDOWS, 70);
    for (const { limit, perMs } of TEAMS_WINDOWS) {
      for (const start of times) {
        expect(times.filter((t) => t >= start && t < start + perMs).length).toBeLessThanOrEqual(limit);
      }
    }
    // 7 at once, the 8th after the first second, the 9th when the 2-second window lets it.
    expect(times.slice(0, 9)).toEqual([0, 0, 0, 0, 0, 0, 0, 1_000, 2_000]);
    // The 61st waits for the 30-second window.
    expect(times[60]).toBe(30_000);
  });

  it('sends as fast as asked with no windows', () => {
    const pacer = new Pacer();
    pacer.book('console', [], 0);
    expect(pacer.delay('console', [], 0)).toBe(0);
  });

  it('never forgets, when it sweeps, what still paces a destination', () => {
    const pacer = new Pacer();
    pacer.book('governance', ONE_PER_SECOND, 0);
    pacer.sweep(500);
    expect(pacer.delay('governance', ONE_PER_SECOND, 500)).toBe(500);
  });

  it('waits again when a timer ends early, so no send goes out before its slot', async () => {
    // Node's timers count from the event loop's cached time: one may end a millisecond early.
    let time = 0;
    const earlyTimers = {
      now: () => time,
      sleep: async (ms: number) => {
        time += Math.max(1, ms - 1);
      },
    };
    const pacer = new Pacer();
    pacer.book('governance', ONE_PER_SECOND, 0);
    await pacer.untilFree('governance', ONE_PER_SECOND, earlyTimers);
    expect(time).toBe(1_000);
  });

  it('stops waiting for a slot when told to stop', async () => {
    const stop = new AbortController();
    let slept = 0;
    const clock = {
      now: () => 0,
      sleep: async () => {
        slept += 1;
        stop.abort();
      },
    };
    const pacer = new Pacer();
    pacer.book('governance', ONE_PER_SECOND, 0);
    await pacer.untilFree('governance', ONE_PER_SECOND, clock, stop.signal);
    expect(slept).toBe(1);
  });
});
