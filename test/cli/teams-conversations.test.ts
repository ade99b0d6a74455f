import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { systemClock } from '../../src/clock.js';
import { createConversationDirectory, type SeenConversation } from '../../src/notify/teams/conversations.js';
import { createSqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import type { Store } from '../../src/store/store.js';
import { TEST_SECRET } from '../helpers/signed-delivery.js';
import { runCli } from './run-cli.js';

const channel = (id: string, name: string): SeenConversation => ({
  id,
  kind: 'channel',
  name: 'General',
  teamName: name,
  tenantId: 'tenant-1',
  user: null,
  reference: { serviceUrl: 'https://smba.trafficmanager.net/emea/', conversation: { id } },
  aliases: ['risk-review'],
});

/** `credo-notify teams conversations [move]`: the admin's view of where the bot posts, and the only way to move an alias. */
describe('credo-notify teams conversations', () => {
  let dir: string;
  let configPath: string;
  let store: Store;
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'credo-notify-cli-'));
    const dbPath = join(dir, 'store.db');
    configPath = join(dir, 'credo-notify.yaml');
    writeFileSync(
      configPath,
      [
        `store: { url: "sqlite:${dbPath}" }`,
        `credo: { auth: { secrets: ["${TEST_SECRET}"] } }`,
        'destinations: { audit: { console: {} } }',
      ].join('\n'),
    );
    store = createSqliteStore({ path: dbPath });
    await store.migrate();
    const directory = createConversationDirectory(store, systemClock);
    await directory.remember(channel('19:old@thread.tacv2', 'Risk Review'));
    await directory.remember(channel('19:new@thread.tacv2', 'Risk Review 2'));
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const cli = (...args: string[]) => runCli(['teams', 'conversations', ...args, '--config', configPath]);

  it('lists each conversation with its alias, and moves an alias only when the admin says so', async () => {
    const listed = await cli();
    expect(listed.code).toBe(0);
    expect(listed.stdout).toMatch(
      /^risk-review\s+channel\s+Risk Review \/ General\s+tenant-1\s+19:old@thread\.tacv2$/m,
    );
    expect(listed.stdout).toMatch(
      /^channel-[0-9a-f]{8}\s+channel\s+Risk Review 2 \/ General\s+tenant-1\s+19:new@thread\.tacv2$/m,
    );

    const moved = await cli('move', 'risk-review', '19:new@thread.tacv2');
    expect(moved).toMatchObject({ code: 0, stderr: '' });
    expect(moved.stdout).toContain('The alias risk-review now names 19:new@thread.tacv2');
    const directory = createConversationDirectory(store, systemClock);
    expect((await directory.find('risk-review'))?.id).toBe('19:new@thread.tacv2');
    expect((await directory.find('19:old@thread.tacv2'))?.alias).toBeNull();
  });

  it('refuses to move an alias to a conversation it does not know', async () => {
    const moved = await cli('move', 'risk-review', '19:nowhere@thread.tacv2');
    expect(moved.code).toBe(1);
    expect(moved.stderr).toContain('no Teams conversation has the id 19:nowhere@thread.tacv2');
  });
});
