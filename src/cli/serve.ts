import { loadConfig } from '../config/load.js';
import { QUICK_START_SOURCE } from '../config/quick-start.js';
import { createReloader } from '../config/reload.js';
import { watchFile } from '../config/watch.js';
import { CodedError } from '../errors.js';
import { createLogger } from '../log.js';
import { createRuntime } from '../runtime.js';
import { startupSummary } from '../startup-summary.js';
import { dataFolderProblem } from './check/data-folder.js';
import { listenProblem } from './listen-problem.js';
import { loadConfigOrExit, missingSecretStep } from './load-config.js';
import { TEST_TIMING_VARIABLE, testTimingFrom } from './test-timing.js';

/**
 * `credo-notify serve`: receive, store and deliver until SIGTERM or SIGINT. SIGHUP, or saving the
 * config file, reloads the config and templates; a config with problems is refused and logged.
 */
export async function serve(options: { config?: string }): Promise<void> {
  const log = createLogger({ level: process.env.LOG_LEVEL, pretty: process.stdout.isTTY });
  const { config, source, usesDevSecret, missingSecret } = loadConfigOrExit(options.config, {
    secretMayBeMissing: true,
  });
  if (missingSecret.length > 0) {
    process.stderr.write(
      `serve needs the webhook's signing secret to accept deliveries.\n${missingSecretStep(missingSecret)}\n`,
    );
    process.exit(1);
  }
  log.info({ config: source }, 'config loaded');
  if (usesDevSecret) {
    log.warn(
      'CREDO_WEBHOOK_SECRET is not set: using the public development secret. Set it before exposing this server.',
    );
  }

  const timing = testTimingFrom(process.env);
  if (timing) log.warn({ timing }, `${TEST_TIMING_VARIABLE} is set: test timings, not for production`);

  // Before the store opens, so the message is the one `check` prints, not a SQLite error code.
  const folderProblem = dataFolderProblem(config.store.url);
  if (folderProblem) startFailed(new CodedError('CN_DATA_FOLDER_UNWRITABLE', `store.url: ${folderProblem}`));
  const runtime = await createRuntime({ config, log, timing, configSource: source }).catch(startFailed);
  const { host, port } = config.server;
  const address = await runtime.app.listen({ host, port }).catch(async (error: unknown) => {
    // Closed first: the store, and the SQLite file's owner lock, are not left to a dead process.
    await runtime.close();
    return startFailed(listenProblem(error, host, port));
  });
  runtime.worker.start();
  const fromFile = source !== QUICK_START_SOURCE;
  const reload = createReloader({
    started: config,
    // The file read at start, by its resolved path; after the quick start, the same search as at start.
    load: () =>
      loadConfig({ path: fromFile ? source : undefined, cwd: process.cwd(), env: process.env }).config,
    apply: runtime.reload,
    log,
    onResult: runtime.metrics.configReloaded,
  });
  process.on('SIGHUP', () => reload('SIGHUP'));
  const watcher = fromFile
    ? watchFile(
        source,
        () => reload('file change'),
        (error) => log.warn({ err: error }, 'stopped watching the config file; SIGHUP still reloads it'),
      )
    : undefined;
  // Last, once the config is watched: a change saved just after this line is seen.
  log.info(startupSummary(config), 'startup summary');
  log.info({ address, webhook: `${address}${config.server.webhookPath}` }, 'credo-notify is listening');

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'stopping: finishing in-flight requests and deliveries');
    watcher?.close();
    await runtime.close();
    log.info('stopped');
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

/** A start refused for a reason the user can fix (CN_STORE_IN_USE, CN_PORT_IN_USE...): one line, not a stack. */
function startFailed(error: unknown): never {
  if (!(error instanceof CodedError)) throw error;
  process.stderr.write(`credo-notify could not start: ${error.message} (${error.code})\n`);
  process.exit(1);
}
