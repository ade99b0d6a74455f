import type { FastifyInstance } from 'fastify';
import { buildApp } from './app.js';
import { type Clock, systemClock } from './clock.js';
import type { Config } from './config/schema.js';
import type { Logger } from './log.js';
import { createAuthentication } from './receiver/authenticate.js';
import { rendererFor } from './render/renderer-for-config.js';
import { compileRoutes } from './routing/route-event.js';
import { openStore } from './store/open-store.js';
import type { Store } from './store/store.js';
import { createDeliverer } from './worker/deliver.js';
import { createDestinations } from './worker/destinations.js';
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
  /** Stops accepting, finishes in-flight requests and jobs, closes the store. */
  close(): Promise<void>;
}

const HOUR_MS = 3_600_000;

/** Builds everything from a valid config: store, renderer, destinations, worker and HTTP app. */
export async function createRuntime(options: RuntimeOptions): Promise<Runtime> {
  const { config, log } = options;
  const clock = options.clock ?? systemClock;
  const renderer = rendererFor(config);
  const destinations = createDestinations(config, {
    write: options.write ?? ((line) => process.stdout.write(`${line}\n`)),
  });
  const store = openStore(config.store.url);
  await store.migrate();

  const worker = createWorker({
    store,
    deliver: createDeliverer({ destinations, renderer }),
    paceMs: (name) => destinations.get(name)?.paceMs ?? 0,
    clock,
    log,
    limits: { maxAttempts: config.delivery.maxAttempts, maxAgeMs: config.delivery.maxAgeHours * HOUR_MS },
  });
  const authentication = createAuthentication(config.credo.auth, { clock, log });
  const router = compileRoutes(config.routes);
  const app = await buildApp({
    config: () => config,
    store,
    router: () => router,
    authenticate: authentication.authenticate,
    plugins: authentication.plugins,
    log,
    now: clock.now,
    onAccepted: (outcome, _type, jobs) => {
      if (outcome === 'accepted' && jobs > 0) worker.wake();
    },
  });

  const prune = setInterval(() => {
    const before = clock.now() - config.store.retentionHours * HOUR_MS;
    store.prune(before).catch((error) => log.error({ err: error }, 'could not prune old events'));
  }, HOUR_MS);
  prune.unref();

  return {
    app,
    store,
    worker,
    async close() {
      clearInterval(prune);
      await app.close();
      await worker.stop();
      await store.close();
    },
  };
}
