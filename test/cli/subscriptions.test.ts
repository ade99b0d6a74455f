import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import type { Store } from '../../src/store/store.js';
import { createSubscriptionBook } from '../../src/subscriptions/subscription-book.js';
import { TEST_SECRET } from '../helpers/signed-delivery.js';
import { runCli } from './run-cli.js';

const MADE_AT = Date.UTC(2026, 0, 2, 9, 30);

/** `credo-notify subscriptions [list|remove]`: the operator's view of the chat's subscriptions (issue 13). */
describe('credo-notify subscriptions', () => {
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
    await createSubscriptionBook(store, () => MADE_AT).put({
      platform: 'slack',
      conversationId: 'C0GOV',
      useCase: 'UC_X',
      useCaseName: 'Fraud Detection Model',
      events: ['use_case_review_status_updated'],
      by: { id: 'U0ANN', email: 'ann@acme.com' },
      at: MADE_AT,
    });
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const cli = (...args: string[]) => runCli(['subscriptions', ...args, '--config', configPath]);

  it('lists who subscribed which conversation to what, and removes one', async () => {
    const listed = await cli();
    expect(listed.code).toBe(0);
    expect(listed.stdout).toMatch(
      /^slack\s+C0GOV\s+UC_X \(Fraud Detection Model\)\s+reviews\s+ann@acme\.com\s+2026-01-02T09:30:00\.000Z$/m,
    );
    const removed = await cli('remove', 'slack', 'C0GOV', 'UC_X');
    expect(removed.code).toBe(0);
    expect(removed.stdout).toContain('Removed: slack conversation C0GOV gets nothing more of UC_X');
    expect((await cli('list')).stdout).toContain('No chat subscriptions in');
    expect(await createSubscriptionBook(store, Date.now).list()).toEqual([]);
  });

  it('says what is wrong with a remove that names nothing, exit 1', async () => {
    const missing = await cli('remove', 'teams', 'C0GOV', 'UC_X');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('teams conversation C0GOV has no subscription to UC_X');
    const platform = await cli('remove', 'discord', 'C0GOV', 'UC_X');
    expect(platform.code).toBe(1);
    expect(platform.stderr).toContain('the platform is slack or teams, not "discord"');
  });
});
