import { type FSWatcher, statSync, watch } from 'node:fs';
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/**
 * Copies the write-ahead log back into the database on a thread of its own. SQLite's automatic
 * checkpoint runs inside whichever commit crosses the threshold, so on the server's connection
 * it would stop the event loop while it writes and syncs megabytes: 60 % of the cost of
 * accepting an event, measured. A passive checkpoint from another connection never blocks
 * writers.
 *
 * The thread exists only while there is writing: a thread is a second Node environment, about
 * 12 MB of an idle server's 106 MB, measured. Once the log is copied back and nothing has been
 * written for `lingerMs`, it ends; the next write to the log starts it again.
 */
export interface Checkpointer {
  /** Runs a last checkpoint if the thread is running, and stops it; no thread starts after. */
  stop(): Promise<void>;
}

/** Often enough that the log stays small under a burst. */
const INTERVAL_MS = 100;
/**
 * How many intervals the thread, woken by a write to a log it had copied back, waits before it
 * copies again (five seconds). At a few events a second, each event's commits (accept, claim,
 * completion) woke it for a checkpoint of its own, each syncing the log and the database file:
 * the thread used 0.7 ms of CPU per delivered message at 5 events/s; 0.27-0.43 ms with a wait of
 * a second, 0.17-0.20 ms with this one (measured, issue 17). The log holds those seconds of writes
 * meanwhile, readers see them there, and under a burst the interval takes over from the first
 * checkpoint on.
 */
const WAKE_DELAY_INTERVALS = 50;
/**
 * During that wait the thread looks at how many frames the log holds every this many intervals (a
 * second), and copies at once when it grew by more than WAKE_GROWTH_FRAMES (4 MB of 4 KB pages): a
 * burst that starts in the wait grows the log by no more than a second of writes, as with a wait
 * of a second.
 */
const LOOK_INTERVALS = 10;
const WAKE_GROWTH_FRAMES = 1024;
/**
 * Under steady writes a passive checkpoint never quite catches up, so the log would never start
 * over and would grow without end. Past this many pages (32 MB) the thread checkpoints in RESTART
 * mode, which holds writers back for the few milliseconds it takes to finish, then lets the log
 * start over.
 */
const RESTART_AFTER_FRAMES = 8192;
/**
 * Starting the thread costs about 30 ms of CPU: kept a minute after the last write, it starts
 * once for a server that hears from Credo AI more often than that, and once per event for
 * a quieter one.
 */
const LINGER_MS = 60_000;

// Plain CommonJS evaluated in the thread, so it runs the same from src (tests) and from dist.
// Once every frame of the log is back in the database, the thread stops its timer and watches
// the log file instead: the next commit (ours, or another process's) writes to it, and the
// checkpoints start again. An idle server then wakes for nothing: at 100 ms, the timer alone
// cost 0.45 % of a core, measured. Should no commit come within the linger, the thread closes
// its connection and says so before it ends: the store's side watches the log from then on.
const THREAD_SOURCE = `
const { closeSync, openSync, readSync, statSync, watch } = require('node:fs');
const { endianness } = require('node:os');
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.path, { timeout: workerData.busyTimeoutMs });
const passive = db.prepare('PRAGMA wal_checkpoint(PASSIVE)');
const restart = db.prepare('PRAGMA wal_checkpoint(RESTART)');
const log = workerData.path + '-wal';
let timer;
let watcher;
let linger;
// The log as the last checkpoint that caught up left it: what later frames are counted from.
let copied;
function caughtUp() {
  const { busy, log: frames, checkpointed } = passive.get();
  if (frames > workerData.restartAfterFrames) restart.get();
  const done = busy === 0 && checkpointed >= frames;
  if (done) copied = logState();
  return done;
}
function checkpoint() {
  timer = undefined;
  if (caughtUp()) sleepUntilWritten();
  else timer = setTimeout(checkpoint, workerData.intervalMs);
}
function sleepUntilWritten() {
  try {
    watcher = watch(log, { persistent: false }, wake);
    // The log removed or unwatchable: back to the timer, which needs nothing but the database.
    watcher.on('error', wake);
  } catch {
    wake();
    return;
  }
  // A commit between the last checkpoint and the watch: copied now, not at the next commit.
  if (caughtUp()) linger = setTimeout(end, workerData.lingerMs);
  else wake();
}
function wake() {
  clearTimeout(linger);
  watcher?.close();
  watcher = undefined;
  if (timer) return;
  const wokenAt = Date.now();
  const look = () => {
    const due = Date.now() - wokenAt >= workerData.wakeDelayMs;
    if (due || framesSinceCopied() > workerData.wakeGrowthFrames) checkpoint();
    else timer = setTimeout(look, workerData.lookMs);
  };
  timer = setTimeout(look, workerData.lookMs);
}
// The wal-index header at the start of the -shm file (https://www.sqlite.org/walformat.html):
// mxFrame, the frames in the log, at byte 16 in the machine's byte order, and the salts at 32,
// which change when the log starts over. Read without a lock it may be torn, which only moves one
// checkpoint.
const header = Buffer.alloc(40);
const littleEndian = endianness() === 'LE';
function logState() {
  try {
    const fd = openSync(workerData.path + '-shm', 'r');
    try {
      readSync(fd, header, 0, header.length, 0);
    } finally {
      closeSync(fd);
    }
    const frames = littleEndian ? header.readUInt32LE(16) : header.readUInt32BE(16);
    return { frames, salts: header.toString('hex', 32, 40) };
  } catch {
    return undefined;
  }
}
// Counted from the last catch-up, not from the wake: the commit that woke the thread may be
// whole by the time it looks. A log started over since holds only new frames. Unreadable, the
// log counts as grown past any bound: the thread copies.
function framesSinceCopied() {
  const now = logState();
  if (!now || !copied) return Number.POSITIVE_INFINITY;
  return now.salts === copied.salts ? now.frames - copied.frames : now.frames;
}
// The log's modification time is read before a last look: a commit after that look changes the
// time, which the store's side compares once it watches, so none waits in the log meanwhile.
function end() {
  let written;
  try {
    written = statSync(log).mtimeMs;
  } catch {}
  if (!caughtUp()) {
    wake();
    return;
  }
  watcher?.close();
  db.close();
  parentPort.postMessage({ written });
  parentPort.close();
}
checkpoint();
parentPort.once('message', () => {
  clearTimeout(timer);
  clearTimeout(linger);
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
  lingerMs?: number;
  wakeGrowthFrames?: number;
}

export function startCheckpointer(path: string, options: CheckpointerOptions): Checkpointer {
  const intervalMs = options.intervalMs ?? INTERVAL_MS;
  const workerData = {
    driver: createRequire(import.meta.url).resolve('better-sqlite3'),
    path,
    busyTimeoutMs: options.busyTimeoutMs,
    intervalMs,
    wakeDelayMs: intervalMs * WAKE_DELAY_INTERVALS,
    lookMs: intervalMs * LOOK_INTERVALS,
    wakeGrowthFrames: options.wakeGrowthFrames ?? WAKE_GROWTH_FRAMES,
    restartAfterFrames: options.restartAfterFrames ?? RESTART_AFTER_FRAMES,
    lingerMs: options.lingerMs ?? LINGER_MS,
  };
  let stopping = false;
  let running: { thread: Worker; exited: Promise<void> } | undefined;
  let watcher: FSWatcher | undefined;

  const start = () => {
    watcher?.close();
    watcher = undefined;
    if (stopping || running) return;
    const thread = new Worker(THREAD_SOURCE, { eval: true, workerData });
    // Never what keeps a process alive: a store left open must not hang a command at exit.
    thread.unref();
    let ended: { written?: number } | undefined;
    let failure: Error | undefined;
    thread.once('message', (message: { written?: number }) => {
      ended = message;
    });
    thread.once('error', (error) => {
      failure = error;
    });
    const exited = new Promise<void>((resolve) => {
      thread.once('exit', (code) => {
        running = undefined;
        if (ended) awaitWrite(ended.written);
        else if (!stopping)
          options.onFailure(failure ?? new Error(`the checkpoint thread exited with code ${code}`));
        resolve();
      });
    });
    running = { thread, exited };
  };

  /** Starts the thread at the next write to the log, or now if it changed since `written`. */
  const awaitWrite = (written?: number) => {
    if (stopping) return;
    const log = `${path}-wal`;
    try {
      watcher = watch(log, { persistent: false }, start);
      watcher.on('error', start);
      if (written !== undefined && statSync(log).mtimeMs !== written) start();
    } catch {
      // No log yet (a database just created) or none to watch: the thread looks for itself.
      start();
    }
  };

  awaitWrite();
  return {
    async stop() {
      stopping = true;
      watcher?.close();
      if (!running) return;
      // Until its last checkpoint is done, the thread is what the process waits for.
      running.thread.ref();
      running.thread.postMessage('stop');
      await running.exited;
    },
  };
}
