import type { FastifyInstance } from 'fastify';
import { adminRoutes } from './admin/admin-routes.js';
import { buildApp } from './app.js';
import { type Clock, systemClock } from './clock.js';
import type { Config } from './config/schema.js';
import { buildConfigState, type ConfigState, type ConfigStateDeps } from './config-state.js';
import { consoleRoutes } from './console/console-routes.js';
import { clientOfSettings } from './credo-api/client-of-settings.js';
import { createFailedAuthLimit } from './http/failed-auth-limit.js';
import { startSlackCommands } from './inbound/slack/start-slack-commands.js';
import { startTeamsBot, type TeamsRuntime, wantsTeamsBot } from './inbound/teams/start-teams-bot.js';
import type { Logger } from './log.js';
import { createMetrics, type Metrics } from './metrics/metrics.js';
import { metricsRoute } from './metrics/metrics-route.js';
import type { RateWindow } from './notify/pacing.js';
import type { Backoff } from './notify/retry-policy.js';
import { openServedStore } from './store/open-store.js';
import type { JobQueue, Store } from './store/store.js';
import type { RunChatCommand } from './subscriptions/chat-command.js';
import { type ChatMemory, createChatMemory } from './subscriptions/chat-memory.js';
import { createChatCommands } from './subscriptions/run-chat-command.js';
import { createDeliverer } from './worker/deliver.js';
import { serviceOf } from './worker/outage-gate.js';
import { pacingOf } from './worker/pacer.js';
import { createWorker, type Worker } from './worker/worker.js';

export interface RuntimeOptions {
  config: Config;
  log: Logger;
  clock?: Clock;
  /** Where the console destination prints. */
  write?: (line: string) => void;
  /** The config file in force, as the operator console shows it. */
  configSource?: string;
  /** For tests: timings shorter than the config schema lets users set. */
  timing?: Timing;
}

/**
 * What tests shorten so they need not wait for real leases, paces or backoffs. Unset, each
 * comes from the config (the lease) or from the code's own defaults (the pace, the backoff).
 */
export interface Timing {
  leaseMs?: number;
  /** The rate windows of every destination, in place of their kinds' (tests scale them down). */
  pacing?: readonly RateWindow[];
  backoff?: Backoff;
  /** How old the snapshot of chat subscriptions may grow before routing reads it again (5 s). */
  subscriptionRefreshMs?: number;
}

export interface Runtime {
  app: FastifyInstance;
  store: Store;
  worker: Worker;
  metrics: Metrics;
  /** The chat commands, for each platform's inbound side (the Teams bot, Slack's slash command). */
  runChatCommand: RunChatCommand;
  chat: ChatMemory;
  /** The state built from the config now in force. */
  current(): ConfigState;
  /**
   * Replaces the config without dropping a request: the new state is built first, and swapped
   * in only if that worked; otherwise this throws and the old config stays.
   */
  reload(config: Config): void;
  /** Stops accepting, finishes in-flight requests and jobs, closes the store. */
  close(): Promise<void>;
}

const HOUR_MS = 3_600_000;

/** Builds everything from a valid config: store, renderer, destinations, worker and HTTP app. */
export async function createRuntime(options: RuntimeOptions): Promise<Runtime> {
  const { log } = options;
  const clock = options.clock ?? systemClock;
  const timing = options.timing ?? {};
  const { store, soleOwner, release } = await openServedStore(options.config.store.url);
  const failedAuth = createFailedAuthLimit({ clock });
  let teams: TeamsRuntime | undefined;
  let slackCommands: Awaited<ReturnType<typeof startSlackCommands>>;
  let deps: ConfigStateDeps;
  let state: ConfigState;
  let loadedAt = clock.now();
  const chat = createChatMemory({ store, clock, log, refreshMs: timing.subscriptionRefreshMs });
  const runChatCommand = createChatCommands({
    ...chat,
    config: () => state.config,
    platforms: () =>
      new Set([...(state.config.slack ? ['slack' as const] : []), ...(teams ? ['teams' as const] : [])]),
    credoApi: clientOfSettings(() => state.config.credo.api),
    clock,
    log,
  });
  try {
    await store.migrate();
    await store.warmUp();
    if (soleOwner) await resumeAbandonedJobs(store, clock, log);
    // Loaded only when asked for: the Teams SDK takes about a second to import.
    teams = wantsTeamsBot(options.config)
      ? await startTeamsBot({
          config: options.config,
          current: () => state.config,
          commands: runChatCommand,
          store,
          clock,
          log,
          pacing: timing.pacing,
        })
      : undefined;
    // The /credo slash command, with slack.signingSecret (Bolt, whose check it uses, loads then).
    slackCommands = await startSlackCommands({
      config: options.config,
      current: () => state.config,
      run: runChatCommand,
      clock,
      log,
      failedAuth,
    });
    deps = {
      clock,
      log,
      store,
      failedAuth,
      snapshot: chat.snapshot,
      preferences: chat.preferences,
      teams: teams?.messenger,
      write: options.write ?? ((line) => process.stdout.write(`${line}\n`)),
    };
    state = buildConfigState(options.config, deps);
  } catch (error) {
    await store.close();
    release();
    throw error;
  }
  const metrics = createMetrics({ stats: () => store.stats(), clock, log });

  const worker = createWorker({
    store,
    deliver: createDeliverer({
      state: () => state,
      store,
      clock,
      log,
      onDigestSent: metrics.digestSent,
    }),
    pacing: (job) => timing.pacing ?? pacingOf(job, state.destinations, state.people.chatPlatforms),
    service: (job) => serviceOf(job, state.destinations),
    clock,
    log,
    limits: () => deliveryLimits(state.config),
    leaseMs: timing.leaseMs ?? options.config.delivery.leaseSeconds * 1000,
    backoff: timing.backoff,
    onOutcome: metrics.jobSettled,
    onHeld: metrics.eventHeld,
  });
  const app = await buildApp({
    config: options.config,
    current: () => state,
    store,
    // Routes that must exist from the start, such as the OAuth token endpoint.
    plugins: [
      ...state.authPlugins,
      metricsRoute(metrics),
      ...(teams ? [teams.route] : []),
      ...(slackCommands ? [slackCommands] : []),
      adminRoutes({
        token: () => state.config.admin?.token,
        store,
        now: clock.now,
        onRequeued: worker.wake,
        failedAuth,
      }),
      consoleRoutes({
        token: () => state.config.admin?.token,
        now: clock.now,
        failedAuth,
        store,
        state: () => state,
        onRequeued: worker.wake,
        subscriptions: chat.subscriptions,
        onSubscriptionsChanged: chat.snapshot.changed,
        configInfo: () => ({ source: options.configSource ?? '(given in code)', loadedAt }),
      }),
    ],
    log,
    now: clock.now,
    onAccepted: (outcome, type, jobs) => {
      metrics.deliveryAccepted(outcome, type);
      if (outcome === 'accepted' && jobs > 0) worker.wake();
    },
    onRejected: metrics.deliveryRejected,
  });

  const prune = setInterval(() => {
    const before = clock.now() - state.config.store.retentionHours * HOUR_MS;
    store.prune(before).catch((error) => log.error({ err: error }, 'could not prune old events'));
  }, HOUR_MS);
  prune.unref();

  return {
    app,
    store,
    worker,
    metrics,
    runChatCommand,
    chat,
    current: () => state,
    reload(config) {
      state = buildConfigState(config, deps);
      loadedAt = clock.now();
    },
    async close() {
      clearInterval(prune);
      await app.close();
      await worker.stop();
      await store.close();
      release();
    },
  };
}

/**
 * The jobs a previous process of this store left running (it crashed, or was killed) are due at
 * once, not when their leases run out: nobody else can be sending them. Slack's notifier looks
 * for the earlier post of each before posting again; elsewhere it may arrive twice.
 */
async function resumeAbandonedJobs(store: JobQueue, clock: Clock, log: Logger): Promise<void> {
  const resumed = await store.expireLeases(clock.now());
  if (resumed > 0) log.warn({ jobs: resumed }, 'resuming the jobs a previous process left running');
}

function deliveryLimits(config: Config) {
  return { maxAttempts: config.delivery.maxAttempts, maxAgeMs: config.delivery.maxAgeHours * HOUR_MS };
}
