import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { resolve } from 'node:path';
import { CodedError } from '../../errors.js';

/**
 * One `serve` per SQLite file: a second one would share its jobs without a lease to tell whose
 * they are. The owner writes its pid beside the database (`<file>.owner`); a later start finds
 * a live pid and refuses, or a dead one (a crash, `kill -9`) and takes over. The CLI's other
 * commands (dead-letters, check) read and write the file without owning it, as before.
 */
export function takeOwnership(path: string): () => void {
  const lockPath = `${path}.owner`;
  for (;;) {
    try {
      const fd = openSync(lockPath, 'wx', 0o600);
      writeSync(fd, JSON.stringify({ pid: process.pid }));
      closeSync(fd);
      return () => rmSync(lockPath, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const owner = ownerPid(lockPath);
      if (owner !== undefined && owner !== process.pid && isAlive(owner)) {
        throw new CodedError(
          'CN_STORE_IN_USE',
          `another credo-notify (pid ${owner}) serves sqlite:${resolve(path)}: stop it first, or give this one another store.url (several instances need PostgreSQL)`,
        );
      }
      // Its owner is gone: the file is ours to take.
      rmSync(lockPath, { force: true });
    }
  }
}

function ownerPid(lockPath: string): number | undefined {
  try {
    const { pid } = JSON.parse(readFileSync(lockPath, 'utf8')) as { pid?: unknown };
    return typeof pid === 'number' && Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined; // unreadable or half written: nobody can be proven to hold it
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: alive, but another user's.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
