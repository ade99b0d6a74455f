import { type FileHandle, open } from 'node:fs/promises';

/**
 * Puts the write-ahead log on disk off the event loop. Transactions commit with
 * synchronous=NORMAL, which in WAL mode writes their frames to the log without syncing it; an
 * fdatasync of the log afterwards makes them as durable as synchronous=FULL would. Running it on
 * libuv's thread pool lets the server keep reading requests while the disk works, where
 * better-sqlite3's FULL commit would stop the whole process for the length of every sync.
 */
export interface WalSync {
  /** Resolves once everything written to the log before this call is on disk. */
  durable(): Promise<void>;
  /** Waits for the sync in flight and lets go of the file. */
  close(): Promise<void>;
}

interface Waiter {
  resolve: () => void;
  reject: (error: unknown) => void;
}

export function createWalSync(walPath: string): WalSync {
  // Opened at the first sync: SQLite creates the log with the first commit, which precedes it.
  let log: Promise<FileHandle> | undefined;
  // Callers that came after the sync in flight started: the next sync serves them all.
  let waiting: Waiter[] = [];
  let inFlight: Promise<void> | undefined;

  const syncLog = async () => {
    log ??= open(walPath, 'r');
    const handle = await log.catch((error: unknown) => {
      log = undefined;
      throw error;
    });
    await handle.datasync();
  };

  function startSync(): void {
    if (inFlight || waiting.length === 0) return;
    const waiters = waiting;
    waiting = [];
    inFlight = syncLog()
      .then(
        () => {
          for (const waiter of waiters) waiter.resolve();
        },
        (error: unknown) => {
          for (const waiter of waiters) waiter.reject(error);
        },
      )
      .finally(() => {
        inFlight = undefined;
        startSync();
      });
  }

  return {
    durable() {
      return new Promise<void>((resolve, reject) => {
        waiting.push({ resolve, reject });
        startSync();
      });
    },
    async close() {
      while (inFlight) await inFlight;
      const handle = await log?.catch(() => undefined);
      log = undefined;
      await handle?.close();
    },
  };
}
