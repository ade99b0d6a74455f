/**
 * Why a job waits for a digest instead of going now (issue 18): it followed another of its key
 * within the route's window, or its person's quiet hours are on. Metrics count held jobs by it.
 */
export type HoldReason = 'burst' | 'quiet_hours';

/**
 * Thrown by a delivery that must wait for its digest: the worker gives the job back to the store,
 * held for `heldFor` until `runAt`, without counting an attempt. Nothing was sent.
 */
export class HoldForDigest extends Error {
  constructor(
    readonly runAt: number,
    readonly heldFor: string,
    readonly reason: HoldReason,
  ) {
    super(`held for its digest (${reason}) until ${new Date(runAt).toISOString()}`);
  }
}
