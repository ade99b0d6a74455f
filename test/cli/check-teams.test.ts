import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatFinding } from '../../src/cli/check/finding.js';
import { runChecks } from '../../src/cli/check/run-checks.js';
import { systemClock } from '../../src/clock.js';
import { loadConfig } from '../../src/config/load.js';
import { createConversationDirectory } from '../../src/notify/teams/conversations.js';
import { createSqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { TEST_SECRET } from '../helpers/signed-delivery.js';
import { configDir } from './config-dir.js';

/** Issue #11: `check` says which Teams destinations Teams refused the bot in, and which wait for it. */
describe('check with teams destinations', () => {
  it('shows a destination Teams refused the bot in as broken, and one never added to as waiting', async () => {
    const dir = configDir(`
store: { url: "sqlite:./data/credo-notify.db" }
credo: { auth: { secrets: ["${TEST_SECRET}"] } }
teams: { allowUnauthenticated: true }
destinations:
  risk: { teams: { conversation: risk-review } }
  audit: { teams: { conversation: audit-room } }
routes: [{ to: [risk, audit] }]
`);
    const store = createSqliteStore({ path: join(dir, 'data', 'credo-notify.db') });
    await store.migrate();
    const directory = createConversationDirectory(store, systemClock);
    await directory.remember({
      id: '19:risk@thread.tacv2',
      kind: 'channel',
      name: 'Risk Review',
      teamName: 'Risk',
      tenantId: 't',
      user: null,
      reference: { serviceUrl: 'https://smba.trafficmanager.net/emea/' },
      aliases: ['risk-review'],
    });
    await directory.markInactive(
      '19:risk@thread.tacv2',
      'Teams answered HTTP 403 (BotNotInConversationRoster)',
    );
    await store.close();

    const { findings } = await runChecks(loadConfig({ cwd: dir, env: {} }));
    const said = findings.map(formatFinding);

    expect(said).toContainEqual(
      expect.stringMatching(
        /^ {2}- error: destinations\.risk\.teams\.conversation: broken since \d{4}-.*Z: Teams answered HTTP 403 \(BotNotInConversationRoster\); add the bot back there, or write to it$/,
      ),
    );
    expect(said).toContainEqual(
      '  - note: destinations.audit.teams.conversation: the bot has not been added to "audit-room" yet: its events wait until it is',
    );
  });
});
