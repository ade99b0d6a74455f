import {
  type DeadLetter,
  dropDeadLetter,
  getDeadLetter,
  listDeadLetters,
  parseWholeNumber,
  retryAllDeadLetters,
  retryDeadLetter,
} from '../admin/dead-letters.js';
import type { EventLog, JobQueue } from '../store/store.js';
import { formatTable } from './format-table.js';
import { onStore, type StoreContext } from './on-store.js';

/**
 * `credo-notify dead-letters list|show|retry|drop`, on the configured store. Safe while a server
 * runs on the same store: a requeued job is picked up by its worker at the next poll, about a
 * second, and rendered with the config and templates that server has then.
 */

type Context = Pick<StoreContext, 'storeName' | 'write'> & { store: JobQueue & EventLog };

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

type ConfigOption = { config?: string };

export const deadLetters = {
  list: (options: ConfigOption & { limit?: string; json?: boolean }) =>
    onStore(options.config, (context) => list(context, options)),
  show: (id: string, options: ConfigOption) => onStore(options.config, (context) => show(context, jobId(id))),
  retry: (id: string | undefined, options: ConfigOption & { all?: boolean }) =>
    onStore(options.config, (context) => retry(context, retryTarget(id, options.all), Date.now())),
  drop: (id: string, options: ConfigOption) => onStore(options.config, (context) => drop(context, jobId(id))),
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
