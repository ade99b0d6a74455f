import { parseArgs } from 'node:util';
import type { StoreKind } from './stores.js';

/** How big each measurement is. The full plan is the one to publish; the short one checks the harness. */
export interface Plan {
  short: boolean;
  /** Concurrency of the fixed-concurrency (ingest) runs. */
  connections: number;
  /**
   * Channels of the ingest and acknowledgement runs: a burst from Credo AI, which the worker
   * delivers meanwhile at Slack's pace, as it would.
   */
  ingestChannels: number;
  /** Unmeasured load before the ingest run, at the same concurrency. */
  warmUpSeconds: number;
  ingestSeconds: number;
  ackRatePerSecond: number;
  ackSeconds: number;
  endToEndRatePerSecond: number;
  /**
   * Unmeasured load before the fixed-rate runs (steady req/s, end to end), at their rate: a fresh
   * process is slow for its first seconds (cold JIT, and on PostgreSQL fresh backends). Measured:
   * up to 0.6 s end to end for 4 to 6 s; after 2 s of warm-up, half of the slow acknowledgements
   * at 500 req/s still fell in the next 2 s.
   */
  steadyWarmUpSeconds: number;
  endToEndSeconds: number;
  /** Enough channels that Slack's 1 message/s/channel is not what the end-to-end run measures. */
  endToEndChannels: number;
  drainEvents: number;
  drainChannels: number;
  /** Events of the Teams burst to one conversation, under Teams' real windows (virtual time). */
  teamsBurstEvents: number;
  /** Starts of the server timed to a healthy /healthz; the figure is their median. */
  startups: number;
  /** How long the last of those starts stays idle while its CPU is counted. */
  idleSeconds: number;
  /**
   * The steady pace whose CPU per message is measured (events/s), and for how long, after a
   * warm-up at that pace (reported on its own: the start's one-offs fall in it).
   */
  cpuRatePerSecond: number;
  cpuWarmUpSeconds: number;
  cpuSeconds: number;
  /** A burst sent at once, delivered at Slack's pace over its channels: CPU per message and peak RSS. */
  burstEvents: number;
  burstChannels: number;
}

export interface BenchOptions {
  /** Print the usage and do nothing else. */
  help: boolean;
  plan: Plan;
  stores: StoreKind[];
  logLevel: string;
  cpuProfileDir?: string;
}

const FULL: Plan = {
  short: false,
  connections: 16,
  ingestChannels: 20,
  warmUpSeconds: 2,
  ingestSeconds: 10,
  ackRatePerSecond: 500,
  ackSeconds: 20,
  endToEndRatePerSecond: 200,
  steadyWarmUpSeconds: 8,
  endToEndSeconds: 30,
  endToEndChannels: 250,
  drainEvents: 10_000,
  drainChannels: 20,
  teamsBurstEvents: 1_000,
  startups: 5,
  idleSeconds: 30,
  cpuRatePerSecond: 5,
  cpuWarmUpSeconds: 15,
  cpuSeconds: 60,
  burstEvents: 500,
  burstChannels: 50,
};

const SHORT: Plan = {
  ...FULL,
  short: true,
  warmUpSeconds: 0.5,
  ingestSeconds: 2,
  ackSeconds: 3,
  steadyWarmUpSeconds: 1,
  endToEndSeconds: 5,
  drainEvents: 400,
  teamsBurstEvents: 200,
  // Each a server start or two: as few as still run every step, so the short run stays short.
  startups: 1,
  idleSeconds: 1,
  cpuWarmUpSeconds: 1,
  cpuSeconds: 2,
  burstEvents: 50,
};

export const USAGE = `npm run bench [-- options]
  --short               seconds instead of about 12 minutes per store: checks the harness, not the numbers
  --store <kind>        sqlite, postgres or both (default: sqlite, and postgres too when
                        DATABASE_URL or TEST_DATABASE_URL is set)
  --log-level <level>   the server's LOG_LEVEL (default: info, as in production)
  --cpu-prof <dir>      each server writes a CPU profile there when it stops (open in Chrome DevTools)`;

const OPTIONS = {
  short: { type: 'boolean', default: false },
  store: { type: 'string' },
  'log-level': { type: 'string', default: 'info' },
  'cpu-prof': { type: 'string' },
  help: { type: 'boolean', default: false },
} as const;

export function parseBenchOptions(argv: string[]): BenchOptions {
  const values = parseOrExplain(argv);
  return {
    help: values.help,
    plan: values.short ? SHORT : FULL,
    stores: storesOf(values.store),
    logLevel: values['log-level'],
    cpuProfileDir: values['cpu-prof'],
  };
}

function parseOrExplain(argv: string[]) {
  try {
    return parseArgs({ args: argv, options: OPTIONS }).values;
  } catch (error) {
    // An unknown option or a missing value: say so, with the usage, rather than a stack trace.
    throw new UsageError((error as Error).message);
  }
}

function storesOf(choice: string | undefined): StoreKind[] {
  if (choice === undefined) {
    return process.env.DATABASE_URL || process.env.TEST_DATABASE_URL ? ['sqlite', 'postgres'] : ['sqlite'];
  }
  if (choice === 'both') return ['sqlite', 'postgres'];
  if (choice === 'sqlite' || choice === 'postgres') return [choice];
  throw new UsageError(`--store must be sqlite, postgres or both, not "${choice}"`);
}

export class UsageError extends Error {}
