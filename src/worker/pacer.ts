import type { Clock } from '../clock.js';
import type { Platform } from '../messages.js';
import { NO_PACING, type RateWindow } from '../notify/pacing.js';
import type { Job } from '../store/store.js';

/** The pacing a job's sends keep: its destination's kind's, or for a person their platform's. */
export function pacingOf(
  job: Pick<Job, 'destination' | 'spec'>,
  destinations: ReadonlyMap<string, { pacing: readonly RateWindow[] }>,
  chatPlatforms: ReadonlyMap<Platform, { directMessagePacing: readonly RateWindow[] }>,
): readonly RateWindow[] {
  if (job.spec.kind !== 'dm') return destinations.get(job.destination)?.pacing ?? NO_PACING;
  const chat = job.spec.platform === undefined ? undefined : chatPlatforms.get(job.spec.platform);
  return chat?.directMessagePacing ?? NO_PACING;
}

interface Paced {
  /** When recent sends went out, oldest first: as many as the largest window needs. */
  sent: number[];
  /** Once a send is this old, no window counts it any more. */
  keepMs: number;
}

/**
 * Keeps each destination within its pacing policy: every window (`limit` sends per `perMs`,
 * sliding) at once; a Retry-After holds the destination in the store instead (the worker's
 * holdDestination), for every instance. Bursts wait their turn in the queue; nothing is
 * dropped, and we never cause a 429 storm. Time is passed in (`now`), so tests drive it.
 */
export class Pacer {
  private readonly paced = new Map<string, Paced>();

  /** How long a send to `destination` must still wait to keep within `windows`. */
  delay(destination: string, windows: readonly RateWindow[], now: number): number {
    const entry = this.paced.get(destination);
    if (!entry) return 0;
    let until = 0;
    for (const { limit, perMs } of windows) {
      // The window is full while the limit-th most recent send is still inside it.
      const oldestCounted = entry.sent[entry.sent.length - limit];
      if (oldestCounted !== undefined) until = Math.max(until, oldestCounted + perMs);
    }
    return Math.max(0, until - now);
  }

  /**
   * Sleeps until `destination` may send (or `signal` aborts), asking again after each sleep:
   * Node's timers count from the event loop's cached time, which lags `Date.now()`, so a timer
   * may end a millisecond early. Slack saw 999 ms between two posts to a channel, 5 × 429 in a
   * drain of 2,000 posts, measured.
   */
  async untilFree(destination: string, windows: readonly RateWindow[], clock: Clock, signal?: AbortSignal) {
    for (
      let wait = this.delay(destination, windows, clock.now());
      wait > 0 && !signal?.aborted;
      wait = this.delay(destination, windows, clock.now())
    )
      await clock.sleep(wait, signal);
  }

  /** A send to `destination` went out at `now`. */
  book(destination: string, windows: readonly RateWindow[], now: number): void {
    const entry = this.entryOf(destination);
    entry.sent.push(now);
    const keep = Math.max(0, ...windows.map((window) => window.limit));
    if (entry.sent.length > keep) entry.sent.splice(0, entry.sent.length - keep);
    entry.keepMs = Math.max(0, ...windows.map((window) => window.perMs));
  }

  /** Forgets destinations no window applies to any more, so the map does not grow forever. */
  sweep(now: number): void {
    for (const [destination, { sent, keepMs }] of this.paced) {
      const lastSent = sent.at(-1) ?? Number.NEGATIVE_INFINITY;
      if (lastSent + keepMs < now) this.paced.delete(destination);
    }
  }

  private entryOf(destination: string): Paced {
    let entry = this.paced.get(destination);
    if (!entry) {
      entry = { sent: [], keepMs: 0 };
      this.paced.set(destination, entry);
    }
    return entry;
  }
}
