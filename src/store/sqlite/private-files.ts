import { chmodSync, closeSync, existsSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';

/** SQLite's companions of a database file, created beside it with the database's own mode. */
const COMPANIONS = ['', '-wal', '-shm', '-journal'];

/**
 * The database holds comments, names and emails: its folder is created 0700 and its files 0600,
 * whatever the umask. The file is made before SQLite opens it, because SQLite gives its log and
 * shared-memory files the database file's mode. Files an older version left readable are
 * tightened too.
 */
export function preparePrivateDatabaseFile(path: string): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  closeSync(openSync(path, 'a', 0o600));
  for (const suffix of COMPANIONS) {
    const file = `${path}${suffix}`;
    if (existsSync(file)) chmodSync(file, 0o600);
  }
}
