import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { Clock } from '../clock.js';
import type { ErrorCode } from '../errors.js';
import type { Logger } from '../log.js';
import type { RejectReason } from '../receiver/receive-delivery.js';
import type { AcceptResult, ClaimedJob, QueueStats } from '../store/store.js';
import type { HoldReason } from '../worker/hold.js';
import type { JobOutcome } from '../worker/worker.js';
import { registerEventLoopDelay } from './event-loop-delay.js';

/**
 * What the people running credo-notify watch, in Prometheus terms. Counters and the latency
 * histogram are fed by the receive and worker hooks; the queue gauges are read from the store at
 * each scrape, so they are right across instances sharing one store, and cost nothing between.
 */
export interface Metrics {
  /** Every metric of this instance, and only them (never prom-client's global registry). */
  registry: Registry;
  deliveryAccepted(outcome: AcceptResult, type: string): void;
  deliveryRejected(reason: RejectReason, code: ErrorCode): void;
  jobSettled(job: ClaimedJob, outcome: JobOutcome): void;
  /** A job was held for a digest (issue 18). */
  eventHeld(job: ClaimedJob, reason: HoldReason): void;
  /** A digest of `events` went out. */
  digestSent(job: ClaimedJob, events: number): void;
  configReloaded(ok: boolean): void;
  /** Reads the queue from the store, then renders every metric in the Prometheus text format. */
  scrape(): Promise<string>;
}

export interface MetricsDeps {
  stats: () => Promise<QueueStats>;
  clock: Clock;
  log: Logger;
}

const PREFIX = 'credo_notify_';

/** From "at once" to "after a day of retries": receive → sent spans that whole range. */
const LATENCY_BUCKETS_SECONDS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600, 21_600, 86_400];

/**
 * How often the event-loop delay histogram (nodejs_eventloop_lag_p99 and the rest) samples.
 * prom-client's default, 10 ms, woke the process 100 times a second for nothing: 1.1 % of a core
 * on an idle server, measured, the largest share of its idle CPU. Sampled once a second, a stall
 * longer than that is always seen whole, a shorter one in proportion to its length; the gauges
 * give the delay past the second (event-loop-delay.ts).
 */
const EVENT_LOOP_SAMPLE_MS = 1_000;
/** The longest a Node timer waits (2^31 - 1 ms, some 25 days). */
const NEVER_MS = 2 ** 31 - 1;

const JOB_OUTCOME_LABELS: Partial<Record<JobOutcome, string>> = {
  sent: 'sent',
  retried: 'retried',
  dead: 'dead_lettered',
  // `paced` is not counted: a job held back for a platform's rate is no outcome, it runs later.
  // Nor `held`: it has a counter of its own, by reason.
};

export function createMetrics(deps: MetricsDeps): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({
    register: registry,
    prefix: PREFIX,
    // prom-client always starts a histogram of its own, which cannot be left out: sampled at its
    // longest interval it never wakes the loop. registerEventLoopDelay's gauges replace its.
    eventLoopMonitoringPrecision: NEVER_MS,
  });
  registerEventLoopDelay(registry, PREFIX, EVENT_LOOP_SAMPLE_MS);

  const deliveries = new Counter({
    name: `${PREFIX}deliveries_received_total`,
    help: 'Deliveries received from Credo AI, by event type and outcome (accepted, duplicate, rejected with a reason and an error code)',
    labelNames: ['type', 'outcome', 'reason', 'code'] as const,
    registers: [registry],
  });
  const jobs = new Counter({
    name: `${PREFIX}jobs_total`,
    help: 'Delivery attempts that ended, by destination and outcome (sent, retried, dead_lettered)',
    labelNames: ['destination', 'outcome'] as const,
    registers: [registry],
  });
  const latency = new Histogram({
    name: `${PREFIX}delivery_latency_seconds`,
    help: 'Time from receiving an event to sending its message, by destination',
    labelNames: ['destination'] as const,
    buckets: LATENCY_BUCKETS_SECONDS,
    registers: [registry],
  });
  const held = new Counter({
    name: `${PREFIX}events_held_total`,
    help: 'Events held for a digest instead of sent at once, by destination and reason (burst: within a route digest window; quiet_hours: a direct message in quiet hours)',
    labelNames: ['destination', 'reason'] as const,
    registers: [registry],
  });
  const digests = new Counter({
    name: `${PREFIX}digests_sent_total`,
    help: 'Digest messages sent (a window or quiet hours that held two events or more), by destination',
    labelNames: ['destination'] as const,
    registers: [registry],
  });
  const digestEvents = new Counter({
    name: `${PREFIX}digest_events_sent_total`,
    help: 'Events sent inside digest messages, by destination',
    labelNames: ['destination'] as const,
    registers: [registry],
  });
  const reloads = new Counter({
    name: `${PREFIX}config_reloads_total`,
    help: 'Config reloads, by result (applied, or refused and the old config kept)',
    labelNames: ['result'] as const,
    registers: [registry],
  });
  const queue = new Gauge({
    name: `${PREFIX}queue_jobs`,
    help: 'Delivery jobs waiting (pending) or being sent (running), read from the store at scrape',
    labelNames: ['state'] as const,
    registers: [registry],
  });
  const oldestAge = new Gauge({
    name: `${PREFIX}queue_oldest_job_age_seconds`,
    help: 'Age of the event behind the oldest unfinished job; 0 when the queue is empty',
    registers: [registry],
  });
  const deadLetters = new Gauge({
    name: `${PREFIX}dead_letters`,
    help: 'Jobs that failed for good and wait for `credo-notify dead-letters retry` or drop',
    registers: [registry],
  });

  const readQueue = async () => {
    try {
      const stats = await deps.stats();
      queue.set({ state: 'pending' }, stats.pending);
      queue.set({ state: 'running' }, stats.running);
      deadLetters.set(stats.dead);
      const age = stats.oldestPendingAt === null ? 0 : deps.clock.now() - stats.oldestPendingAt;
      oldestAge.set(Math.max(0, age) / 1000);
    } catch (error) {
      // An absent series says "unknown"; a stale one would say something false.
      for (const gauge of [queue, oldestAge, deadLetters]) gauge.reset();
      deps.log.warn({ err: error }, 'metrics: could not read the queue from the store');
    }
  };

  return {
    registry,
    deliveryAccepted(outcome, type) {
      deliveries.inc({ type, outcome });
    },
    deliveryRejected(reason, code) {
      deliveries.inc({ outcome: 'rejected', reason, code });
    },
    jobSettled(job, outcome) {
      const label = JOB_OUTCOME_LABELS[outcome];
      if (!label) return;
      const destination = destinationLabel(job);
      jobs.inc({ destination, outcome: label });
      if (outcome === 'sent') {
        latency.observe({ destination }, (deps.clock.now() - job.event.receivedAt) / 1000);
      }
    },
    eventHeld(job, reason) {
      held.inc({ destination: destinationLabel(job), reason });
    },
    digestSent(job, events) {
      const destination = destinationLabel(job);
      digests.inc({ destination });
      digestEvents.inc({ destination }, events);
    },
    configReloaded(ok) {
      reloads.inc({ result: ok ? 'applied' : 'refused' });
    },
    async scrape() {
      await readQueue();
      return registry.metrics();
    },
  };
}

/**
 * Destination names from the config are few; a series per person told directly would grow
 * without bound: direct messages count by platform, as `dm:slack`.
 */
function destinationLabel(job: ClaimedJob): string {
  return job.spec.kind === 'dm' ? `dm:${job.spec.platform}` : job.destination;
}
