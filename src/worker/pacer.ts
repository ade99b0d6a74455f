/**
 * Spaces sends to one destination at a minimum interval (Slack allows about one message per
 * second per channel), and lets a Retry-After push the next slot out. Bursts wait their turn
 * in the queue; nothing is dropped, and we never cause a 429 storm.
 */
export class Pacer {
  private readonly nextSlot = new Map<string, number>();

  /** How long a send to `destination` must still wait. */
  delay(destination: string, now: number): number {
    return Math.max(0, (this.nextSlot.get(destination) ?? 0) - now);
  }

  /** A send goes out now: the next may follow after `intervalMs`. */
  book(destination: string, intervalMs: number, now: number): void {
    this.holdUntil(destination, now + intervalMs);
  }

  /** The platform asked us to hold off until `until`. */
  holdUntil(destination: string, until: number): void {
    this.nextSlot.set(destination, Math.max(until, this.nextSlot.get(destination) ?? 0));
  }

  /** Forgets destinations whose slot has passed, so the map does not grow forever. */
  sweep(now: number): void {
    for (const [destination, slot] of this.nextSlot) if (slot < now) this.nextSlot.delete(destination);
  }
}
