import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/**
 * Copies the write-ahead log back into the database on a thread of its own. SQLite's automatic
 * checkpoint runs inside whichever commit crosses the threshold, so on the server's connection
 * it would stop the event loop while it writes and syncs megabytes: 60 % of the cost of
 * accepting an event, measured. A passive checkpoint from another connection never blocks
 * writers.
 */
export interface Checkpointer {
  /** Runs a last checkpoint and stops the thread. */
  stop(): Promise<void>;
}

/** Often enough that the log stays small under a burst. */
const INTERVAL_MS = 100;
/**
 * How many intervals the thread, woken by a write to a log it had copied back, waits before it
 * copies again (a second). At a few events a second, each event's commits (accept, claim,
 * completion) woke it for a checkpoint of its own, each syncing the database file: the thread
 * used 0.7 ms of CPU per delivered message at 5 events/s, and 0.4 ms with this wait (measured).
 * The log holds that second of writes meanwhile, readers see them there, and under a burst the
 * interval takes over from the first checkpoint on.
 */
const WAKE_DELAY_INTERVALS = 10;
/**
 * Under steady writes a passive checkpoint never quite catches up, so the log would never start
 * over and would grow without end. Past this many pages (32 MB) the thread checkpoints in RESTART
 * mode, which holds writers back for the few milliseconds it takes to finish, then lets the log
 * start over.
 */
const RESTART_AFTER_FRAMES = 8192;

// Plain CommonJS evaluated in the thread, so it runs the same from src (tests) and from dist.
// Once every frame of the log is back in the database, the thread stops its timer and watches
// the log file instead: the next commit (ours, or another process's) writes to it, and the
// checkpoints start again. An idle server then wakes for nothing: at 100 ms, the timer alone
// cost 0.45 % of a core, measured. A commit between the check and the watch waits for the next
// one, or for stop(), to be copied back: the log holds it meanwhile, and readers see it there.
const THREAD_SOURCE = `
const { watch } = require('node:fs');
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.path, { timeout: workerData.busyTimeoutMs });
const passive = db.prepare('PRAGMA wal_checkpoint(PASSIVE)');
const restart = db.prepare('PRAGMA wal_checkpoint(RESTART)');
let timer;
let watcher;
function checkpoint() {
  timer = undefined;
  const { busy, log, checkpointed } = passive.get();
  if (log > workerData.restartAfterFrames) restart.get();
  if (busy === 0 && checkpointed >= log) sleepUntilWritten();
  else timer = setTimeout(checkpoint, workerData.intervalMs);
}
function sleepUntilWritten() {
  try {
    watcher = watch(workerData.path + '-wal', { persistent: false }, wake);
    // The log removed or unwatchable: back to the timer, which needs nothing but the database.
    watcher.on('error', wake);
  } catch {
    wake();
  }
}
function wake() {
  watcher?.close();
  watcher = undefined;
  if (!timer) timer = setTimeout(checkpoint, workerData.wakeDelayMs);
}
checkpoint();
parentPort.once('message', () => {
  clearTimeout(timer);
  watcher?.close();
  passive.get();
  db.close();
  parentPort.close();
});
`;

/**
 * Starts the thread for the database at `path`. Should the thread fail, `onFailure` runs (the
 * store then turns SQLite's own checkpoints back on), so the log never grows without bound.
 */
export interface CheckpointerOptions {
  busyTimeoutMs: number;
  onFailure: (error: Error) => void;
  /** Tests shrink these to see the log start over without writing 32 MB. */
  intervalMs?: number;
  restartAfterFrames?: number;
}

export function startCheckpointer(path: string, options: CheckpointerOptions): Checkpointer {
  const intervalMs = options.intervalMs ?? INTERVAL_MS;
  const thread = new Worker(THREAD_SOURCE, {
    eval: true,
    workerData: {
      driver: createRequire(import.meta.url).resolve('better-sqlite3'),
      path,
      busyTimeoutMs: options.busyTimeoutMs,
      intervalMs,
      wakeDelayMs: intervalMs * WAKE_DELAY_INTERVALS,
      restartAfterFrames: options.restartAfterFrames ?? RESTART_AFTER_FRAMES,
    },
  });
  // Never what keeps a process alive: a store left open must not hang a command at exit.
  thread.unref();
  let stopping = false;
  let failure: Error | undefined;
  thread.once('error', (error) => {
    failure = error;
  });
  const exited = new Promise<void>((resolve) => {
    thread.once('exit', (code) => {
      if (!stopping)
        options.onFailure(failure ?? new Error(`the checkpoint thread exited with code ${code}`));
      resolve();
    });
  });
  return {
    async stop() {
      stopping = true;
      // Until its last checkpoint is done, the thread is what the process waits for.
      thread.ref();
      thread.postMessage('stop');
      await exited;
    },
  };
}
