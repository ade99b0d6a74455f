import { setTimeout as sleep } from 'node:timers/promises';
import type { Clock } from '../clock.js';
import type { Logger } from '../log.js';
import { DeliveryError, type SendResult } from '../notify/notifier.js';
import { nextRetry } from '../notify/retry-policy.js';
import type { ClaimedJob, JobQueue, PostedMessage } from '../store/store.js';
import { Pacer } from './pacer.js';

export type JobOutcome = 'sent' | 'retried' | 'dead' | 'paced';

export interface WorkerOptions {
  store: JobQueue;
  /**
   * Renders and sends one job; resolves with where it was posted, when the platform said, and
   * throws (ideally a DeliveryError) when the send failed.
   */
  deliver: (job: ClaimedJob) => Promise<SendResult | undefined>;
  /** Minimum spacing between two sends to one destination. */
  paceMs: (destination: string) => number;
  clock: Clock;
  log: Logger;
  /** Read at each failure, so a reload applies to jobs already queued. */
  limits: () => { maxAttempts: number; maxAgeMs: number };
  /** How long a claimed job stays ours; a crashed instance's jobs are taken over after it. */
  leaseMs?: number;
  /** How often an idle worker looks for work another instance may have queued. */
  pollMs?: number;
  /** Jobs in flight at once (each to a different destination). */
  concurrency?: number;
  onOutcome?: (job: ClaimedJob, outcome: JobOutcome) => void;
}

export interface Worker {
  start(): void;
  /** New work was stored: look now instead of at the next poll. */
  wake(): void;
  /** Claims nothing more, finishes the jobs in flight. */
  stop(): Promise<void>;
}

/** Claims are at least this far apart (ms): the most a delivery waits for its claim. */
const MIN_CLAIM_GAP_MS = 20;

/** A wait in memory longer than this gives the job back to the store instead of holding its lease. */
const MAX_PACING_WAIT_MS = 2_000;

/**
 * Claims due jobs, sends each, then acks, reschedules or dead-letters it. The store hands out
 * at most one job per destination at a time, so a slow or broken destination only ever ties up
 * its own slot: every other destination keeps flowing.
 */
export function createWorker(options: WorkerOptions): Worker {
  const { store, clock, log } = options;
  const leaseMs = options.leaseMs ?? 60_000;
  const pollMs = options.pollMs ?? 1_000;
  const concurrency = options.concurrency ?? 16;
  const pacer = new Pacer();
  const inFlight = new Set<Promise<void>>();
  let running = false;
  let loop: Promise<void> | undefined;
  let signal: (() => void) | undefined;

  const wakeLoop = () => signal?.();
  // With every slot taken there is nothing to claim: the next job to finish wakes the loop. Under
  // a burst this spares a claim and a nextRunAt per accepted event.
  const wake = () => {
    if (inFlight.size < concurrency) wakeLoop();
  };
  const waitForWork = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        signal = undefined;
        resolve();
      }
      signal = done;
    });

  const settle = async (job: ClaimedJob, outcome: JobOutcome, write: () => Promise<void>) => {
    await write();
    options.onOutcome?.(job, outcome);
  };

  const handleFailure = async (job: ClaimedJob, error: unknown) => {
    const now = clock.now();
    const decision = nextRetry({
      attempts: job.attempts,
      error,
      firstAttemptAt: job.createdAt,
      now,
      ...options.limits(),
    });
    const reason = error instanceof Error ? error.message : String(error);
    const fields = {
      eventId: job.eventId,
      type: job.event.type,
      destination: job.destination,
      attempt: job.attempts,
    };
    if (error instanceof DeliveryError && error.retryAfterMs !== undefined) {
      // The platform throttles the whole channel, not just this message.
      pacer.holdUntil(job.destination, now + error.retryAfterMs);
    }
    if (decision.action === 'retry') {
      log.warn(
        { ...fields, error: reason, retryAt: new Date(decision.runAt).toISOString() },
        'delivery failed, will retry',
      );
      await settle(job, 'retried', () => store.retryJob(job.id, decision.runAt, reason));
    } else {
      log.error({ ...fields, error: decision.reason }, 'delivery dead-lettered');
      await settle(job, 'dead', () => store.deadLetterJob(job.id, decision.reason));
    }
  };

  const runJob = async (job: ClaimedJob) => {
    const wait = pacer.delay(job.destination, clock.now());
    if (wait > MAX_PACING_WAIT_MS) {
      await settle(job, 'paced', () => store.retryJob(job.id, clock.now() + wait, null, false));
      return;
    }
    if (wait > 0) await sleep(wait);
    let sent: SendResult | undefined;
    try {
      sent = await options.deliver(job);
    } catch (error) {
      await handleFailure(job, error);
      return;
    } finally {
      // Spaced from when the platform answered, not when we asked: the platform counts arrivals,
      // and this message's arrival can be no later than its answer.
      pacer.book(job.destination, options.paceMs(job.destination), clock.now());
    }
    log.info({ eventId: job.eventId, type: job.event.type, destination: job.destination }, 'delivered');
    await settle(job, 'sent', () => store.completeJob(job.id, postedMessage(sent)));
  };

  const track = (job: ClaimedJob) => {
    const task = runJob(job)
      .catch((error) =>
        log.error(
          { err: error, jobId: job.id },
          'could not record a job outcome; its lease will expire and it will run again',
        ),
      )
      .finally(() => {
        inFlight.delete(task);
        wake();
      });
    inFlight.add(task);
  };

  let lastClaimAt = 0;
  const run = async () => {
    while (running) {
      const free = concurrency - inFlight.size;
      let claimed: ClaimedJob[] = [];
      if (free > 0) {
        // Under a burst every accepted event wakes us: claiming at most this often lets one
        // claim take many jobs instead of each costing a scan of the backlog.
        const gap = lastClaimAt + MIN_CLAIM_GAP_MS - Date.now();
        if (gap > 0) await sleep(gap);
        lastClaimAt = Date.now();
        try {
          claimed = await store.claimJobs({ now: clock.now(), limit: free, leaseMs });
        } catch (error) {
          log.error({ err: error }, 'could not claim jobs; retrying');
        }
      }
      for (const job of claimed) track(job);
      if (claimed.length === 0 || inFlight.size >= concurrency) {
        pacer.sweep(clock.now());
        await waitForWork(await idleWait());
      }
    }
  };

  /**
   * Sleeps until the next job falls due, at most one poll. A job already due but not claimed is
   * waiting on a busy destination: finishing that send wakes us.
   */
  const idleWait = async () => {
    const next = await store.nextRunAt().catch(() => null);
    const untilDue = next === null ? 0 : next - clock.now();
    return untilDue > 0 ? Math.min(pollMs, untilDue) : pollMs;
  };

  return {
    start() {
      if (running) return;
      running = true;
      loop = run();
    },
    wake,
    async stop() {
      running = false;
      wakeLoop();
      await loop;
      await Promise.all(inFlight);
    },
  };
}

function postedMessage(sent: SendResult | undefined): PostedMessage | undefined {
  if (sent?.messageId === undefined) return undefined;
  return { messageId: sent.messageId, channelId: sent.channelId };
}
