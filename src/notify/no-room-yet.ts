import { DeliveryError } from './notifier.js';

/**
 * Nothing was sent: the destination's rate windows are full with calls the worker did not make
 * (a Teams bot's replies and install reads share its conversation's windows). Not a failed
 * attempt: the job goes back to the store until `retryAfterMs` from now, as when the worker's own
 * pacer finds no room, and counts against neither `delivery.maxAttempts` nor the log's warnings.
 */
export class NoRoomYetError extends DeliveryError {
  constructor(message: string, retryAfterMs: number) {
    super(message, { code: 'CN_TEAMS_PACED', retryable: true, retryAfterMs });
    this.name = 'NoRoomYetError';
  }
}
