import type { FastifyInstance } from 'fastify';
import { buildApp } from './app.js';
import { type Clock, systemClock } from './clock.js';
import type { Config } from './config/schema.js';
import { buildConfigState, type ConfigState, type ConfigStateDeps } from './config-state.js';
import type { Logger } from './log.js';
import { createAuthentication } from './receiver/authenticate.js';
import { openStore } from './store/open-store.js';
import type { Store } from './store/store.js';
import { createDeliverer } from './worker/deliver.js';
import { createWorker, type Worker } from './worker/worker.js';

export interface RuntimeOptions {
  config: Config;
  log: Logger;
  clock?: Clock;
  /** Where the console destination prints. */
  write?: (line: string) => void;
}

export interface Runtime {
  app: FastifyInstance;
  store: Store;
  worker: Worker;
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
  const deps: ConfigStateDeps = {
    clock,
    log,
    write: options.write ?? ((line) => process.stdout.write(`${line}\n`)),
  };
  let state = buildConfigState(options.config, deps);
  const store = openStore(options.config.store.url);
  await store.migrate();

  const worker = createWorker({
    store,
    deliver: createDeliverer({ destinations: () => state.destinations, renderer: () => state.renderer }),
    paceMs: (name) => state.destinations.get(name)?.paceMs ?? 0,
    clock,
    log,
    limits: () => deliveryLimits(state.config),
  });
  const app = await buildApp({
    config: options.config,
    current: () => state,
    store,
    // Routes that must exist from the start, such as the OAuth token endpoint.
    plugins: createAuthentication(options.config.credo.auth, deps).plugins,
    log,
    now: clock.now,
    onAccepted: (outcome, _type, jobs) => {
      if (outcome === 'accepted' && jobs > 0) worker.wake();
    },
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
    current: () => state,
    reload(config) {
      state = buildConfigState(config, deps);
    },
    async close() {
      clearInterval(prune);
      await app.close();
      await worker.stop();
      await store.close();
    },
  };
}

function deliveryLimits(config: Config) {
  return { maxAttempts: config.delivery.maxAttempts, maxAgeMs: config.delivery.maxAgeHours * HOUR_MS };
}
