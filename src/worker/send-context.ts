import type { SendContext } from '../notify/notifier.js';
import type { ClaimedJob } from '../store/store.js';

/**
 * What a notifier is told about the job it sends for. Any attempt after the first may follow
 * one that reached the platform unrecorded (an instance killed mid-send whose job was taken
 * over, a post whose answer timed out), so it asks the notifier to look before posting.
 */
export function sendContextOf(job: ClaimedJob): SendContext {
  return {
    eventId: job.eventId,
    destination: job.destination,
    jobId: job.id,
    ...(job.attempts > 1 ? { earlierAttemptSince: job.createdAt } : {}),
  };
}
