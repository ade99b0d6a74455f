import { afterEach, describe, expect, it } from 'vitest';
import { systemClock } from '../../src/clock.js';
import { createConversationDirectory } from '../../src/notify/teams/conversations.js';
import {
  BOT,
  type FakeBotConnector,
  startFakeBotConnector,
  TENANT_ID,
} from '../helpers/fake-bot-connector.js';
import { loadFixtureEvents } from '../helpers/fixture-events.js';
import { sendSigned } from '../helpers/signed-delivery.js';
import { eventually, startTestServer, type TestServer } from '../helpers/test-server.js';

const RISK_TEAM = { id: '19:risk-general@thread.tacv2', name: 'Risk Review' };
const comment = loadFixtureEvents().find((fixture) => fixture.name === 'use_case_review_comment');

/**
 * Issue #11: Teams counts a bot's calls to one conversation in four windows at once. A burst
 * that crosses each of them must meet no 429. Teams' windows, scaled down a hundredfold in time
 * and limit so the test crosses all four in about two seconds; the fake counts with the same.
 */
const SCALED = [
  { limit: 7, perMs: 100 },
  { limit: 8, perMs: 200 },
  { limit: 12, perMs: 600 },
  { limit: 30, perMs: 2_000 },
];

describe('a burst to one Teams conversation', () => {
  let teams: FakeBotConnector;
  let server: TestServer | undefined;
  afterEach(async () => {
    await server?.close();
    await teams.close();
  });

  it('keeps within every window: each event posted, 0 × 429', { timeout: 30_000 }, async () => {
    teams = await startFakeBotConnector({ rateWindows: SCALED });
    server = await startTestServer(
      {
        teams: { allowUnauthenticated: true },
        destinations: { 'risk-team': { teams: { conversation: 'risk-review' } } },
        routes: [{ match: { events: ['*'] }, to: ['risk-team'], thread: 'review' }],
      },
      { timing: { pacing: SCALED } },
    );
    // The bot was added to the channel earlier (its welcome card long out of every window).
    await createConversationDirectory(server.runtime.store, systemClock).remember({
      id: RISK_TEAM.id,
      kind: 'channel',
      name: 'General',
      teamName: RISK_TEAM.name,
      tenantId: TENANT_ID,
      user: null,
      reference: {
        serviceUrl: teams.serviceUrl,
        channelId: 'msteams',
        bot: BOT,
        conversation: { id: RISK_TEAM.id },
      },
      aliases: ['risk-review'],
    });

    // 20 comments, each on a review of its own: a thread parent and a reply, 40 calls in all.
    const events = Array.from({ length: 20 }, (_, i) =>
      (comment?.body ?? '').replaceAll(/"reviewId":\s*"[^"]+"/g, `"reviewId":"review-${i}"`),
    );
    for (const body of events) expect((await sendSigned(server.webhookUrl, body)).status).toBe(200);

    await eventually(() => expect(teams.postsIn(RISK_TEAM.id)).toHaveLength(2 * events.length), 25_000);
    expect(teams.throttled).toBe(0);
  });
});
