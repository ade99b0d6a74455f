import { resolve } from 'node:path';
import {
  type DeadLetter,
  dropDeadLetter,
  getDeadLetter,
  listDeadLetters,
  parseWholeNumber,
  retryAllDeadLetters,
  retryDeadLetter,
} from '../admin/dead-letters.js';
import { openStore } from '../store/open-store.js';
import type { EventLog, JobQueue, Store } from '../store/store.js';
import type { Write } from './credo-webhooks.js';
import { formatTable } from './format-table.js';
import { loadConfigOrExit } from './load-config.js';

/**
 * `credo-notify dead-letters list|show|retry|drop`, on the configured store. Safe while a server
 * runs on the same store: a requeued job is picked up by its worker at the next poll, about a
 * second, and rendered with the config and templates that server has then.
 */

interface Context {
  store: JobQueue & EventLog;
  /** The store as people recognise it, without credentials. */
  storeName: string;
  write: Write;
}

const SENT_SOON = 'a running credo-notify sends it within seconds, with its current config and templates';

async function list(context: Context, options: { limit?: string; json?: boolean }): Promise<void> {
  const limit = options.limit === undefined ? undefined : parseWholeNumber(options.limit);
  if (limit === 0 || (options.limit !== undefined && limit === undefined)) {
    throw new Error(`--limit must be a whole number above 0, got "${options.limit}"`);
  }
  const letters = await listDeadLetters(context.store, limit);
  if (options.json) return context.write(`${JSON.stringify(letters, null, 2)}\n`);
  if (letters.length === 0) return context.write(`No dead letters in ${context.storeName}.\n`);
  context.write(
    formatTable(['ID', 'DESTINATION', 'EVENT TYPE', 'RECEIVED', 'ATTEMPTS', 'LAST ERROR'], letters.map(row)),
  );
}

async function show(context: Context, id: number): Promise<void> {
  const letter = await getDeadLetter(context.store, id);
  if (!letter) throw noDeadLetter(id, context);
  context.write(`${JSON.stringify(letter, null, 2)}\n`);
}

async function retry(context: Context, id: number | 'all', now: number): Promise<void> {
  if (id === 'all') {
    const count = await retryAllDeadLetters(context.store, now);
    const what = count === 1 ? '1 dead letter is' : `${count} dead letters are`;
    return context.write(
      count === 0 ? 'No dead letters to retry.\n' : `${what} back in the queue: ${SENT_SOON}.\n`,
    );
  }
  if (!(await retryDeadLetter(context.store, id, now))) throw noDeadLetter(id, context);
  context.write(`Dead letter ${id} is back in the queue: ${SENT_SOON}.\n`);
}

async function drop(context: Context, id: number): Promise<void> {
  if (!(await dropDeadLetter(context.store, id))) throw noDeadLetter(id, context);
  context.write(`Dropped dead letter ${id}.\n`);
}

/** Opens the configured store, runs one action, closes; a user-facing error goes to stderr, exit 1. */
async function run(configPath: string | undefined, action: (context: Context) => Promise<void>) {
  const { config } = loadConfigOrExit(configPath, { secretMayBeMissing: true });
  let store: Store | undefined;
  try {
    store = openStore(config.store.url);
    await store.migrate();
    await action({
      store,
      storeName: describeStore(config.store.url),
      write: (text) => process.stdout.write(text),
    });
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  } finally {
    await store?.close();
  }
}

type ConfigOption = { config?: string };

export const deadLetters = {
  list: (options: ConfigOption & { limit?: string; json?: boolean }) =>
    run(options.config, (context) => list(context, options)),
  show: (id: string, options: ConfigOption) => run(options.config, (context) => show(context, jobId(id))),
  retry: (id: string | undefined, options: ConfigOption & { all?: boolean }) =>
    run(options.config, (context) => retry(context, retryTarget(id, options.all), Date.now())),
  drop: (id: string, options: ConfigOption) => run(options.config, (context) => drop(context, jobId(id))),
};

function retryTarget(id: string | undefined, all: boolean | undefined): number | 'all' {
  if (all && id !== undefined) throw new Error('give a dead letter id or --all, not both');
  if (all) return 'all';
  if (id === undefined) throw new Error('give the id of a dead letter (see `dead-letters list`), or --all');
  return jobId(id);
}

function jobId(text: string): number {
  const id = parseWholeNumber(text);
  if (id === undefined) throw new Error(`a dead letter id is a whole number, got "${text}"`);
  return id;
}

function noDeadLetter(id: number, context: Context): Error {
  return new Error(`no dead letter ${id} in ${context.storeName}; see \`credo-notify dead-letters list\``);
}

function row(letter: DeadLetter): string[] {
  return [
    String(letter.id),
    letter.destination,
    letter.type,
    letter.receivedAt,
    String(letter.attempts),
    letter.lastError ?? '-',
  ];
}

/** `sqlite:` with the resolved path; a PostgreSQL URL without its user and password. */
function describeStore(url: string): string {
  if (url.startsWith('sqlite:')) return `sqlite:${resolve(url.slice('sqlite:'.length))}`;
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}${parsed.pathname}`;
  } catch {
    return 'the configured store';
  }
}
