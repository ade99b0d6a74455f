import type { EventRecord } from '../events/credo-event.js';

/**
 * The store holds what must survive a crash, in three parts, one per job: the event log
 * (accepted events), the job queue (the delivery work still to do) and the key-value state (the
 * memory later deliveries depend on). A caller takes only the part it needs. SQLite is the
 * embedded default, PostgreSQL lets several instances share the work; both pass one contract
 * suite (test/store/contract.ts). Every method is async so that either can sit behind it.
 */

/** A delivery as accepted from Credo AI, stored as it came. `id` is the dedupe key. */
export type NewEvent = EventRecord;

/** One unit of delivery work: one message to one destination. */
export interface NewJob {
  /**
   * The queue key: the store runs one job per key at a time, in order. A route job's key is its
   * destination's name in the config, a direct message's `dm:<platform>:<user id>`. Only a key:
   * what the job does is all in its spec.
   */
  destination: string;
  spec: JobSpec;
}

/**
 * What a job sends: an event to a configured destination, as a route says, or a direct message
 * to a person. Stored as JSON, in this shape since the first version that queued either.
 */
export type JobSpec = RouteJobSpec | DirectMessageJobSpec;

export interface RouteJobSpec {
  kind: 'route';
  /** The route that sent the event there: its name, else `routes[<index>]`. */
  route: string;
  /** The route's own template, when it names one. */
  template?: string;
  thread: 'review' | 'useCase' | 'none';
  /** The route's `digest`, as it was when the event came (issue 18): its window and what it gathers by. */
  digest?: { windowMs: number; by: 'useCase' | 'review' | 'destination' };
}

export interface DirectMessageJobSpec {
  kind: 'dm';
  /** The chat platform to write on. */
  platform: 'slack' | 'teams';
  /** The Credo AI user id of the person told. */
  userId: string;
  /** Tagged in a comment, or the assignee of a task that changed. */
  reason: 'tagged' | 'assigned';
}

export type JobState = 'pending' | 'running' | 'done' | 'dead';

export interface Job {
  id: number;
  eventId: string;
  destination: string;
  spec: JobSpec;
  state: JobState;
  /**
   * Attempts started so far, including the current one for a claimed job. A claim counts one, a
   * takeover after a lease expiry too: above 1, an earlier attempt may have reached the platform.
   */
  attempts: number;
  runAt: number;
  createdAt: number;
  lastError: string | null;
  /**
   * Set on a job held for a digest (a burst's window, a person's quiet hours): the key its digest
   * gathers by. Claimed, such a job sends the digest of every job held with it (issue 18).
   */
  heldFor?: string;
}

export interface ClaimedJob extends Job {
  event: NewEvent;
}

export type AcceptResult = 'accepted' | 'duplicate';

export interface ClaimOptions {
  now: number;
  limit: number;
  /** How long a claim is exclusive; after that, another worker may take the job over. */
  leaseMs: number;
}

export interface QueueStats {
  pending: number;
  running: number;
  dead: number;
  /** receivedAt of the oldest unfinished job, or null. */
  oldestPendingAt: number | null;
}

/** Where a sent message landed: Slack's `ts` and channel id, a Teams activity id. */
export interface PostedMessage {
  messageId: string;
  channelId?: string;
}

/** A job as the console shows it: with where its message was posted, once it was. */
export interface DeliveredJob extends Job {
  posted: PostedMessage | null;
}

/** The newest events first, narrowed by any of these; `before` pages on from the last one seen. */
export interface DeliveryQuery {
  /** Events with a job in this state (and to `destination`, when both are given). */
  state?: JobState;
  destination?: string;
  type?: string;
  useCaseId?: string;
  reviewId?: string;
  eventId?: string;
  /** Keyset pagination: only events older than this one. */
  before?: { receivedAt: number; id: string };
  limit: number;
}

export interface EventDeliveries {
  event: NewEvent;
  /** In the order they were made. */
  jobs: DeliveredJob[];
}

/** What the console reads: events with their jobs, by indexed columns only. */
export interface DeliveryLog {
  searchDeliveries(query: DeliveryQuery): Promise<EventDeliveries[]>;
}

/** The accepted deliveries: what the receiver writes and the worker's jobs point to. */
export interface EventLog {
  /**
   * Stores the event and its jobs in one transaction, unless an event with this id exists.
   * Resolves only once committed: the caller answers 2xx after this and never before.
   */
  acceptEvent(event: NewEvent, jobs: readonly NewJob[]): Promise<AcceptResult>;
  getEvent(id: string): Promise<NewEvent | undefined>;
  /**
   * Deletes events older than `before` whose jobs are all done (the done jobs go with them; a
   * dead job keeps its event). Returns how many events. Also drops memory that expired before.
   */
  prune(before: number): Promise<number>;
}

/** The delivery work: what the worker claims and settles, and what an operator inspects. */
export interface JobQueue {
  /**
   * Takes due jobs (pending with runAt <= now, or running with an expired lease), oldest first,
   * marking them running. At most one job per destination, and none for a destination that
   * already has a running job with a live lease, or is held (holdDestination): each destination is sent to in order, one
   * message at a time, across every instance, which keeps threads and pacing right.
   */
  claimJobs(options: ClaimOptions): Promise<ClaimedJob[]>;
  /**
   * The send went out: never to be repeated. `posted` says where, when the platform told us, so
   * the console can link to the message. This and the next two change only a running job:
   * a late answer about a job already done or dead leaves it so.
   */
  completeJob(id: number, posted?: PostedMessage): Promise<void>;
  /**
   * Try again at `runAt`. `countAttempt: false` for pacing, which is no failure: the claim's
   * attempt is given back. A null `error` keeps the last one recorded.
   */
  retryJob(id: number, runAt: number, error: string | null, countAttempt?: boolean): Promise<void>;
  /**
   * No instance claims a job of `destination` before `until` (the later hold wins): the
   * platform throttled it (Retry-After), or is down until its next probe. Its jobs keep their
   * order: the one given back with its `runAt` unchanged goes first once the hold ends.
   */
  holdDestination(destination: string, until: number): Promise<void>;
  deadLetterJob(id: number, reason: string): Promise<void>;
  /**
   * Holds a running job for a digest: pending until `runAt`, marked `heldFor` that key, with the
   * claim's attempt given back (holding is no failure). Changes only a running job.
   */
  holdJob(id: number, runAt: number, heldFor: string): Promise<void>;
  /**
   * For a running held job (the digest): in one statement, takes in every other pending job of its
   * destination held for the same key, marking them done as part of this digest, then returns all
   * the digest holds, oldest first, this job's own event first. Run again (a retry, a takeover
   * after a crash, a requeue) it returns the same jobs, and takes in none held since (they wait
   * for the next digest): none is sent by two digests, none lost while the digest job lives.
   */
  gatherDigest(id: number): Promise<ClaimedJob[]>;
  /** The instance holding these running jobs is alive: their leases last until `leaseUntil`. */
  renewLeases(ids: readonly number[], leaseUntil: number): Promise<void>;
  /**
   * Ends every lease now, so running jobs can be claimed at once; says how many. Only for the
   * sole owner of the store at its start: whoever ran them before is gone.
   */
  expireLeases(now: number): Promise<number>;
  /**
   * When the next pending job is due (or a running job's lease runs out, after which it can be
   * taken over), so an idle worker can sleep until then.
   */
  nextRunAt(): Promise<number | null>;
  stats(): Promise<QueueStats>;

  listJobs(filter: { state?: JobState; destination?: string; limit?: number }): Promise<Job[]>;
  getJob(id: number): Promise<Job | undefined>;
  /**
   * Puts a dead job back in the queue, due now, with a fresh attempt count and a fresh start
   * (`createdAt` = now), so the retry limits count from the operator's retry.
   */
  requeueJob(id: number, now: number): Promise<boolean>;
  deleteJob(id: number): Promise<boolean>;
}

/** Small keyed memory with expiry: thread parents, identity cache, Teams conversations. */
export interface KeyValueState {
  kvGet(namespace: string, key: string, now: number): Promise<string | undefined>;
  kvSet(namespace: string, key: string, value: string, expiresAt: number | null): Promise<void>;
  kvList(namespace: string, now: number): Promise<Array<{ key: string; value: string }>>;
}

/** All three parts on one engine, and the engine's upkeep. */
export interface Store extends EventLog, JobQueue, KeyValueState, DeliveryLog {
  /** Runs pending migrations; safe to call from several processes at once. */
  migrate(): Promise<void>;
  /**
   * Opens now what the first requests would otherwise wait for (PostgreSQL: every connection of
   * the pool), before a server listens. Commands and tests that do a few queries skip it.
   */
  warmUp(): Promise<void>;
  /** Cheap round trip, for /readyz. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
