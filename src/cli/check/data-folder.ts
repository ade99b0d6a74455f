import { accessSync, constants, existsSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { sqlitePathOf } from '../../store/open-store.js';

/**
 * Why a SQLite `store.url` cannot be used, or undefined when its folder can be created (or
 * exists) and written. Found before the store opens, so the message names the key and the
 * folder instead of a SQLite error code.
 */
export function dataFolderProblem(storeUrl: string): string | undefined {
  const path = sqlitePathOf(storeUrl);
  if (path === undefined || path === ':memory:' || path === '') return undefined;
  const file = resolve(path);
  const folder = dirname(file);
  const existing = nearestExisting(folder);
  try {
    if (!statSync(existing).isDirectory()) return cannot(folder, `${existing} is not a folder`);
    accessSync(existing, constants.W_OK | constants.X_OK);
    if (existsSync(file)) accessSync(file, constants.R_OK | constants.W_OK);
  } catch (error) {
    return cannot(folder, (error as NodeJS.ErrnoException).code ?? (error as Error).message);
  }
  return undefined;
}

function cannot(folder: string, reason: string): string {
  return `cannot create or write the data folder ${folder} (${reason}): choose a folder this user may write, or fix its permissions`;
}

function nearestExisting(folder: string): string {
  let dir = folder;
  while (!existsSync(dir) && dirname(dir) !== dir) dir = dirname(dir);
  return dir;
}
