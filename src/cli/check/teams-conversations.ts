import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { systemClock } from '../../clock.js';
import type { Config } from '../../config/schema.js';
import { createConversationDirectory } from '../../notify/teams/conversations.js';
import { openStore, sqlitePathOf } from '../../store/open-store.js';
import { error, type Finding, note } from './finding.js';

/**
 * Where each `teams` destination stands in the store: not captured yet (the bot was never added
 * there), or refused by Teams (removed, blocked, disabled): the usual answers to "why no card?".
 * A SQLite store is read when it exists; PostgreSQL only with `--online`, as it is a service.
 */
export async function checkTeamsConversations(config: Config, online: boolean): Promise<Finding[]> {
  const targets = Object.entries(config.destinations).flatMap(([name, destination]) =>
    'teams' in destination ? [{ name, conversation: destination.teams.conversation }] : [],
  );
  if (targets.length === 0 || !storeReadable(config.store.url, online)) return [];
  const store = openStore(config.store.url);
  try {
    await store.migrate();
    const directory = createConversationDirectory(store, systemClock);
    const findings: Finding[] = [];
    for (const { name, conversation } of targets) {
      const where = `destinations.${name}.teams.conversation`;
      const known = await directory.find(conversation);
      if (!known) {
        findings.push(
          note(where, `the bot has not been added to "${conversation}" yet: its events wait until it is`),
        );
      } else if (known.inactive) {
        const since = new Date(known.inactive.since).toISOString();
        findings.push(
          error(
            where,
            `broken since ${since}: ${known.inactive.reason}; add the bot back there, or write to it`,
          ),
        );
      }
    }
    return findings;
  } finally {
    await store.close();
  }
}

function storeReadable(url: string, online: boolean): boolean {
  const path = sqlitePathOf(url);
  if (path === undefined) return online;
  return path !== ':memory:' && existsSync(resolve(path));
}
