import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { systemClock } from '../../clock.js';
import type { Config } from '../../config/schema.js';
import { createConversationDirectory } from '../../notify/teams/conversations.js';
import { teamsDestinationProblems } from '../../notify/teams/destination-standing.js';
import { openStore, sqlitePathOf } from '../../store/open-store.js';
import { error, type Finding, note } from './finding.js';

/**
 * Where each `teams` destination stands in the store (teamsDestinationProblems). A SQLite store
 * is read when it exists; PostgreSQL only with `--online`, as it is a service.
 */
export async function checkTeamsConversations(config: Config, online: boolean): Promise<Finding[]> {
  const wanted = Object.values(config.destinations).some((destination) => 'teams' in destination);
  if (!wanted || !storeReadable(config.store.url, online)) return [];
  const store = openStore(config.store.url);
  try {
    await store.migrate();
    const problems = await teamsDestinationProblems(
      config.destinations,
      createConversationDirectory(store, systemClock),
    );
    return problems.map(({ destination, state, message }) =>
      (state === 'broken' ? error : note)(`destinations.${destination}.teams.conversation`, message),
    );
  } finally {
    await store.close();
  }
}

function storeReadable(url: string, online: boolean): boolean {
  const path = sqlitePathOf(url);
  if (path === undefined) return online;
  return path !== ':memory:' && existsSync(resolve(path));
}
