import { setImmediate as nextTurn } from 'node:timers/promises';
import type { Clock } from '../clock.js';
import { codeOf, describeError } from '../errors.js';
import type { Logger } from '../log.js';
import { NoRoomYetError } from '../notify/no-room-yet.js';
import { DeliveryError, type FailureScope, type SendResult } from '../notify/notifier.js';
import type { RateWindow } from '../notify/pacing.js';
import { type Backoff, nextRetry } from '../notify/retry-policy.js';
import type { ClaimedJob, JobQueue, PostedMessage } from '../store/store.js';
import { HoldForDigest, type HoldReason } from './hold.js';
import { HoldEnds } from './hold-ends.js';
import { OutageGate } from './outage-gate.js';
import { Pacer } from './pacer.js';

export type JobOutcome = 'sent' | 'retried' | 'dead' | 'paced' | 'held';

/**
 * Makes one call to the job's platform within its destination's rate windows: waits for a slot,
 * then counts the call. A job may make several (a thread's parent, the reply, the parent's
 * update), and the platform counts each.
 */
export type Paced = <T>(call: () => Promise<T>) => Promise<T>;

/** A call whose slot is further off than a job may hold its lease for: the job goes back to the store. */
class PacedOut extends Error {
  constructor(readonly slot: number) {
    super('paced out');
  }
}

export interface WorkerOptions {
  store: JobQueue;
  /**
   * Renders and sends one job; resolves with where it was posted, when the platform said, and
   * throws (ideally a DeliveryError) when the send failed.
   */
  deliver: (job: ClaimedJob, paced: Paced) => Promise<SendResult | undefined>;
  /** The rate windows sends of this job's destination keep within (a DM's: its platform's). */
  pacing: (job: ClaimedJob) => readonly RateWindow[];
  /**
   * What the job sends through, down with its destination when it fails (outage-gate.ts):
   * its bot, say. Each destination on its own by default.
   */
  service?: (job: ClaimedJob) => string;
  /** Every wait (claim spacing, idle polls, pacing) and every time read goes through it. */
  clock: Clock;
  log: Logger;
  /** Read at each failure, so a reload applies to jobs already queued. */
  limits: () => { maxAttempts: number; maxAgeMs: number };
  /** How long a claimed job stays ours; a crashed instance's jobs are taken over after it. */
  leaseMs?: number;
  /**
   * How often an idle worker first looks for work another process may have queued (another
   * instance, `credo-notify dead-letters retry`); each look that finds nothing doubles the wait,
   * up to `maxPollMs`.
   */
  pollMs?: number;
  maxPollMs?: number;
  /** Waits between attempts; the retry policy's own unless a test wants them shorter. */
  backoff?: Backoff;
  /** Jobs in flight at once (each to a different destination). */
  concurrency?: number;
  onOutcome?: (job: ClaimedJob, outcome: JobOutcome) => void;
  /** A job was held for its digest (issue 18). */
  onHeld?: (job: ClaimedJob, reason: HoldReason) => void;
}

export interface Worker {
  start(): void;
  /** New work was stored: look now instead of at the next poll. */
  wake(): void;
  /**
   * Claims nothing more, finishes the sends in flight; a job still waiting for its pacing slot
   * goes back to the store for whichever instance runs next.
   */
  stop(): Promise<void>;
}

/** Claims are at least this far apart (ms): the most a delivery waits for its claim. */
const MIN_CLAIM_GAP_MS = 20;

/** A wait in memory longer than this gives the job back to the store instead of holding its lease. */
const MAX_PACING_WAIT_MS = 2_000;
/**
 * Jobs in flight, those asleep on their destination's pace included, as a multiple of the
 * concurrency: each keeps its rendered message in memory until it goes.
 */
const IN_FLIGHT_PER_SLOT = 4;

/** Why a wake ends an idle wait: built once, as `abort()` without a reason builds a DOMException each time. */
const WOKEN = new Error('woken');

/**
 * Claims due jobs, sends each, then acks, reschedules or dead-letters it. The store hands out
 * at most one job per destination at a time, so a slow or broken destination only ever ties up
 * its own slot: every other destination keeps flowing.
 */
export function createWorker(options: WorkerOptions): Worker {
  const { store, clock, log } = options;
  const leaseMs = options.leaseMs ?? 60_000;
  const pollMs = options.pollMs ?? 1_000;
  const maxPollMs = options.maxPollMs ?? 4_000;
  /** Looks in a row that found nothing to do: an idle worker looks less and less often. */
  let emptyPolls = 0;
  const concurrency = options.concurrency ?? 16;
  const pacer = new Pacer();
  const gate = new OutageGate();
  const holdEnds = new HoldEnds();
  const serviceOf = options.service ?? ((job: ClaimedJob) => job.destination);
  const inFlight = new Set<Promise<void>>();
  /**
   * Of those, the jobs asleep until their destination's pace lets them send. They take no slot:
   * sixteen of them, each waiting its channel's second, held every slot, and the jobs of every
   * other channel waited behind them (issue 17: 22 messages one at a time, 50 ms apart, up to
   * 900 ms late, measured). A slot is for sending; `maxInFlight` bounds the sleepers.
   */
  let asleepOnPace = 0;
  const sending = () => inFlight.size - asleepOnPace;
  const maxInFlight = concurrency * IN_FLIGHT_PER_SLOT;
  const freeSlots = () => Math.min(concurrency - sending(), maxInFlight - inFlight.size);
  /** Claimed and not settled yet: their leases are renewed while they run (heartbeat). */
  const held = new Set<number>();
  let running = false;
  let loop: Promise<void> | undefined;
  /** Aborted by stop(): ends every wait at once. */
  let stopping = new AbortController();
  /** Aborted by a wake: ends the idle wait under way. */
  let idle: AbortController | undefined;
  /** Set by wake(): work was stored, so the loop claims at once rather than looking first. */
  let stored = false;

  const wakeLoop = () => {
    emptyPolls = 0;
    idle?.abort(WOKEN);
  };
  // With every slot taken there is nothing to claim: the next job to finish, or to fall asleep on
  // its pace, wakes the loop. Under a burst this spares a claim and a nextRunAt per accepted event.
  const wake = () => {
    if (freeSlots() > 0) {
      stored = true;
      wakeLoop();
    }
  };
  /**
   * A slot came free (a job settled, or fell asleep on its pace): the loop looks (nextRunAt) and
   * claims only if a job is due. Most often none is (at 5 events/s, every time), and a look is a
   * read where a claim is a write transaction.
   */
  const slotFreed = () => {
    if (freeSlots() > 0) wakeLoop();
  };
  /** Whether the wait ran its course: false when a wake or a stop ended it early. */
  const idleFor = async (ms: number) => {
    idle = new AbortController();
    const { signal } = idle;
    await clock.sleep(ms, signal);
    idle = undefined;
    return !signal.aborted;
  };
  /**
   * Sleeps until there may be something to claim: a wake, a job falling due, a hold ending. A
   * poll that ran its course, or a slot coming free, looks with a read (nextRunAt) and claims only
   * if a job is due: a claim is a write transaction, which an idle server should not pay at every
   * poll, nor a quiet one after every message. Work another
   * process queued (another instance, `credo-notify dead-letters retry`) is due at once, so the
   * read sees it.
   */
  const waitForWork = async () => {
    let next = await store.nextRunAt().catch(() => null);
    // A wake that came during the claim (its job committed just after) ends the wait before it starts.
    while (running && !stored) {
      const ranItsCourse = await idleFor(idleWait(next));
      if (stored || !running) break;
      if (ranItsCourse && inFlight.size === 0) emptyPolls += 1;
      next = await store.nextRunAt().catch(() => null);
      if (next !== null && next <= clock.now()) break;
    }
    stored = false;
  };

  const settle = async (job: ClaimedJob, outcome: JobOutcome, write: () => Promise<void>) => {
    await write();
    options.onOutcome?.(job, outcome);
  };

  /**
   * Back to the store in its place (its runAt unchanged, no attempt counted), its destination
   * held until `until`: no instance claims it before, and then it goes before the later jobs.
   */
  const holdDestination = async (destination: string, until: number) => {
    await store.holdDestination(destination, until);
    holdEnds.add(until);
  };

  const giveBack = async (job: ClaimedJob, until: number) => {
    await holdDestination(job.destination, until);
    await settle(job, 'paced', () => store.retryJob(job.id, job.runAt, null, false));
  };

  const handleFailure = async (job: ClaimedJob, service: string, error: unknown) => {
    const now = clock.now();
    const scope: FailureScope = error instanceof DeliveryError && error.retryable ? error.scope : 'job';
    const decision = nextRetry({
      attempts: job.attempts,
      error,
      firstAttemptAt: job.createdAt,
      now,
      backoff: options.backoff,
      probe: scope !== 'job',
      ...options.limits(),
    });
    const fields = {
      eventId: job.eventId,
      type: job.event.type,
      destination: job.destination,
      attempt: job.attempts,
    };
    if (decision.action === 'retry') {
      const lastError = describeError(error);
      log.warn(
        {
          ...fields,
          code: codeOf(error),
          error: lastError,
          holds: scope,
          retryAt: new Date(decision.runAt).toISOString(),
        },
        'delivery failed, will retry',
      );
      if (scope === 'service') gate.failed(service, decision.runAt);
      // A failure of this message alone: it steps out of line, the destination's next jobs go on.
      if (scope === 'job') {
        await settle(job, 'retried', () => store.retryJob(job.id, decision.runAt, lastError));
        return;
      }
      // The channel or the platform is down or throttled: the job keeps its place, and its
      // destination waits for it (it is the next probe), on every instance.
      await holdDestination(job.destination, decision.runAt);
      await settle(job, 'retried', () => store.retryJob(job.id, job.runAt, lastError));
    } else {
      // The platform is still down: the next job probes it, now.
      if (scope === 'service') gate.failed(service, now);
      log.error({ ...fields, code: decision.code, error: decision.reason }, 'delivery dead-lettered');
      await settle(job, 'dead', () => store.deadLetterJob(job.id, decision.reason));
    }
  };

  /** Waits, makes the call, counts it from the platform's answer; any answer says the platform is up. */
  const pacedCall = async <T>(
    job: ClaimedJob,
    service: string,
    pacing: readonly RateWindow[],
    call: () => Promise<T>,
  ) => {
    const wait = pacer.delay(job.destination, pacing, clock.now());
    if (wait > MAX_PACING_WAIT_MS) throw new PacedOut(clock.now() + wait);
    if (wait > 0) {
      asleepOnPace += 1;
      // Its slot is free while it sleeps: another destination's job may take it now.
      slotFreed();
      try {
        await pacer.untilFree(job.destination, pacing, clock, stopping.signal);
      } finally {
        asleepOnPace -= 1;
      }
    }
    if (wait > 0 && stopping.signal.aborted)
      throw new PacedOut(clock.now() + pacer.delay(job.destination, pacing, clock.now()));
    try {
      const result = await call();
      gate.answered(service);
      return result;
    } catch (error) {
      if (!(error instanceof DeliveryError && error.scope === 'service')) gate.answered(service);
      throw error;
    } finally {
      // Spaced from when the platform answered, not when we asked: the platform counts arrivals,
      // and this call's arrival can be no later than its answer.
      pacer.book(job.destination, pacing, clock.now());
    }
  };

  /** Back to the store until its digest is due: nothing was sent, no attempt is counted. */
  const hold = async (job: ClaimedJob, held: HoldForDigest) => {
    log.info(
      {
        eventId: job.eventId,
        destination: job.destination,
        reason: held.reason,
        until: new Date(held.runAt).toISOString(),
      },
      'held for a digest',
    );
    await settle(job, 'held', () => store.holdJob(job.id, held.runAt, held.heldFor));
    options.onHeld?.(job, held.reason);
  };

  /**
   * Whether the job may send now, as far as its service goes: it may while the service is up, as
   * its probe (then with the probe's promise, in an object: an async function would wait for
   * it), or once the probe it waited on got through; otherwise it goes back to the store.
   */
  const admit = async (job: ClaimedJob, service: string): Promise<{ probe?: Promise<boolean> } | false> => {
    const admission = gate.admit(service, clock.now());
    if ('go' in admission) return { probe: admission.probe };
    if ('after' in admission && (await admission.after)) return {};
    const until = 'until' in admission ? admission.until : (gate.probeAt(service) ?? clock.now());
    await giveBack(job, until);
    return false;
  };

  const runJob = async (job: ClaimedJob) => {
    // One job's rendering per turn of the event loop, not a whole claim's: the requests that
    // came in meanwhile are read and acknowledged between two jobs, never behind sixteen.
    await nextTurn();
    const pacing = options.pacing(job);
    const service = serviceOf(job);
    // A destination whose next slot is far off gets the job back before it is rendered: people
    // lookups and templates would be done again at every claim until then.
    const firstWait = pacer.delay(job.destination, pacing, clock.now());
    if (firstWait > MAX_PACING_WAIT_MS) return giveBack(job, clock.now() + firstWait);
    const admitted = await admit(job, service);
    if (admitted === false) return;
    try {
      await send(job, service, pacing);
    } finally {
      if (admitted.probe) gate.probed(service, admitted.probe);
    }
  };

  const send = async (job: ClaimedJob, service: string, pacing: readonly RateWindow[]) => {
    let sent: SendResult | undefined;
    try {
      sent = await options.deliver(job, (call) => pacedCall(job, service, pacing, call));
    } catch (error) {
      // Too long a wait to hold the lease for, or a stop cut it short: back to the store until its slot.
      if (error instanceof PacedOut) await giveBack(job, error.slot);
      // The platform's windows are full with calls we did not make: held, not failed.
      else if (error instanceof NoRoomYetError) await giveBack(job, clock.now() + (error.retryAfterMs ?? 0));
      else if (error instanceof HoldForDigest) await hold(job, error);
      else await handleFailure(job, service, error);
      return;
    }
    log.info({ eventId: job.eventId, type: job.event.type, destination: job.destination }, 'delivered');
    await settle(job, 'sent', () => store.completeJob(job.id, postedMessage(sent)));
  };

  const track = (job: ClaimedJob) => {
    held.add(job.id);
    beating ??= heartbeat();
    const task = runJob(job)
      .catch((error) =>
        log.error(
          { err: error, jobId: job.id },
          'could not record a job outcome; its lease will expire and it will run again',
        ),
      )
      .finally(() => {
        held.delete(job.id);
        inFlight.delete(task);
        slotFreed();
      });
    inFlight.add(task);
  };

  let lastClaimAt = 0;
  const run = async () => {
    while (running) {
      const free = freeSlots();
      let claimed: ClaimedJob[] = [];
      if (free > 0) {
        // Under a burst every accepted event wakes us: claiming at most this often lets one
        // claim take many jobs instead of each costing a scan of the backlog.
        const gap = lastClaimAt + MIN_CLAIM_GAP_MS - clock.now();
        if (gap > 0) await clock.sleep(gap, stopping.signal);
        if (!running) break;
        lastClaimAt = clock.now();
        try {
          claimed = await store.claimJobs({ now: clock.now(), limit: free, leaseMs });
        } catch (error) {
          log.error({ err: error }, 'could not claim jobs; retrying');
        }
      }
      for (const job of claimed) track(job);
      // With jobs in flight, the next to finish wakes the loop: only a worker with nothing at
      // all to do stretches its polls.
      emptyPolls = claimed.length === 0 && inFlight.size === 0 ? emptyPolls + 1 : 0;
      // Fewer jobs than slots: the claim took every job that could go now, and another claim
      // straight away would find none. The loop waits for the next wake or due job instead.
      if (claimed.length < free || freeSlots() <= 0) {
        pacer.sweep(clock.now());
        await waitForWork();
      }
    }
  };

  /**
   * How long to sleep, given when the next job falls due (`next`, from nextRunAt): until then, at
   * most one poll. A job already due but not claimed is waiting on a busy destination (finishing
   * that send wakes us) or on a hold (we wake when the first hold we wrote ends; another
   * instance's are seen at the next poll). Each look costs a wake-up and a read, which an idle
   * server should not pay every second.
   */
  const idleWait = (next: number | null) => {
    const poll = Math.min(maxPollMs, pollMs * 2 ** Math.max(0, emptyPolls - 1));
    const untilDue = next === null ? 0 : next - clock.now();
    const wait = untilDue > 0 ? Math.min(poll, untilDue) : poll;
    return Math.min(wait, holdEnds.untilNext(clock.now()) ?? wait);
  };

  /**
   * While this instance lives, the jobs it holds stay its own: their leases are renewed every
   * third of a lease, so a slow send is never taken over. Once it dies the renewals stop, and
   * another instance takes its jobs within one lease.
   */
  const heartbeat = async () => {
    while (running && held.size > 0) {
      await clock.sleep(leaseMs / 3, stopping.signal);
      if (!running || held.size === 0) break;
      await store
        .renewLeases([...held], clock.now() + leaseMs)
        .catch((error) => log.warn({ err: error }, 'could not renew the leases of jobs in flight'));
    }
    beating = undefined;
  };
  /**
   * Beats only while jobs are held: an idle server would otherwise wake every third of a lease
   * for nothing. A job claimed while it beats is renewed at its next beat, within a third of a
   * lease of its claim.
   */
  let beating: Promise<void> | undefined;

  return {
    start() {
      if (running) return;
      running = true;
      stopping = new AbortController();
      loop = run();
    },
    wake,
    async stop() {
      running = false;
      stopping.abort();
      wakeLoop();
      await loop;
      await Promise.all(inFlight);
      await beating;
    },
  };
}

function postedMessage(sent: SendResult | undefined): PostedMessage | undefined {
  if (sent?.messageId === undefined) return undefined;
  return { messageId: sent.messageId, channelId: sent.channelId };
}
