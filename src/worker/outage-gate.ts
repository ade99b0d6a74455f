import type { Job } from '../store/store.js';

/**
 * What a job sending through a platform that may be down does now:
 * - `go`: send: the platform is up, or this job is its `probe`;
 * - `until`: give the job back to the store, its destination held until the next probe;
 * - `after`: the probe is under way: wait for its answer, true when the platform is back.
 */
export type Admission =
  | { go: true; probe?: Promise<boolean> }
  | { until: number }
  | { after: Promise<boolean> };

interface Outage {
  probeAt: number;
  /** Set while the probe is in flight; resolves with whether the platform answered. */
  probe?: Promise<boolean>;
  settle?: (up: boolean) => void;
}

/**
 * One probe per platform ("service": the Slack bot, the Teams bot, a kind of webhook) while it
 * is down. A send that finds it down (FailureScope 'service': a 5xx, no answer) closes its
 * gate until the next probe; until then the jobs of every destination sent through it go back to
 * the store in their place, without a call. At the probe time the first job through probes, and
 * the jobs claimed meanwhile wait on its answer, in memory, then go at once when it got through.
 * An outage costs one call per probe, not one per job per retry (issue #17).
 *
 * In memory, per instance: each instance probes on its own, and the destination holds it writes
 * to the store keep the others' claims off the destinations it gave back.
 */
export class OutageGate {
  private readonly down = new Map<string, Outage>();

  admit(service: string, now: number): Admission {
    const outage = this.down.get(service);
    if (!outage) return { go: true };
    if (outage.probe) return { after: outage.probe };
    if (now < outage.probeAt) return { until: outage.probeAt };
    const probe = new Promise<boolean>((settle) => {
      outage.settle = settle;
    });
    outage.probe = probe;
    return { go: true, probe };
  }

  /** A send through `service` found it down: the next probe goes at `probeAt`. */
  failed(service: string, probeAt: number): void {
    this.down.get(service)?.settle?.(false);
    this.down.set(service, { probeAt });
  }

  /** `service` answered (a success, or a failure of one message or one channel): it is up. */
  answered(service: string): void {
    const outage = this.down.get(service);
    if (!outage) return;
    this.down.delete(service);
    outage.settle?.(true);
  }

  /**
   * The job admitted with `probe` is done. Had it no answer from the platform (paced out, the
   * worker stopping, a failure before any call), the next job through probes instead, and
   * those waiting go back to the store until then.
   */
  probed(service: string, probe: Promise<boolean>): void {
    const outage = this.down.get(service);
    if (outage?.probe !== probe) return;
    const { settle } = outage;
    this.down.set(service, { probeAt: outage.probeAt });
    settle?.(false);
  }

  /** When the next probe of `service` goes, while it is down. */
  probeAt(service: string): number | undefined {
    return this.down.get(service)?.probeAt;
  }
}

/**
 * The service a job sends through: its destination's (kinds.ts: the bot, or the kind of
 * webhook), for a direct message its platform's bot; else the destination alone.
 */
export function serviceOf(
  job: Pick<Job, 'destination' | 'spec'>,
  destinations: ReadonlyMap<string, { service: string }>,
): string {
  if (job.spec.kind === 'dm') return job.spec.platform;
  return destinations.get(job.destination)?.service ?? job.destination;
}
