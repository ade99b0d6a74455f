/**
 * The ends of the destination holds this worker wrote that are still ahead. An idle worker wakes
 * at the first of them, when those jobs can be claimed again, rather than at its next poll: a
 * backlog held by an outage goes the moment its probe may, not up to a poll later.
 */
export class HoldEnds {
  private readonly ends = new Set<number>();

  add(until: number): void {
    this.ends.add(until);
  }

  /** How long until the first end after `now`, if any; the ends passed are forgotten. */
  untilNext(now: number): number | undefined {
    let first: number | undefined;
    for (const end of this.ends) {
      if (end <= now) this.ends.delete(end);
      else if (first === undefined || end < first) first = end;
    }
    return first === undefined ? undefined : first - now;
  }
}
