import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SNAPSHOT_REFRESH_MS } from '../../src/subscriptions/subscription-snapshot.js';
import {
  type FakeBotConnector,
  startFakeBotConnector,
  teamsActivities,
} from '../helpers/fake-bot-connector.js';
import { fixtureEvent } from '../helpers/fixture-events.js';
import { sendSigned } from '../helpers/signed-delivery.js';
import { createTestClock, type TestClock } from '../helpers/test-clock.js';
import { eventually, startTestServer, type TestServer } from '../helpers/test-server.js';
import { type FreshSchema, freshSchema, postgresUrl } from '../setup/fresh-postgres.js';

/**
 * Issue 13: two instances on one PostgreSQL database. A subscription made through the Teams bot
 * of one applies to the events the other receives, once its snapshot is 5 s old: its clock is
 * moved, not waited for.
 */
const RISK_TEAM = { id: '19:risk-general@thread.tacv2', name: 'Risk Review' };
const AI_REVIEWS = { id: '19:ai-reviews@thread.tacv2', name: 'AI reviews' };
const { envelope } = fixtureEvent('use_case_review_status_updated');
const UC_X = String(envelope.data.useCaseId);

describe.skipIf(!postgresUrl)('chat subscriptions across two instances on PostgreSQL (issue 13)', () => {
  let schema: FreshSchema;
  let teams: FakeBotConnector;
  let servers: TestServer[];
  beforeEach(async () => {
    schema = await freshSchema();
    teams = await startFakeBotConnector();
    servers = [];
  });
  afterEach(async () => {
    await Promise.all(servers.map((server) => server.close()));
    await teams.close();
    await schema.drop();
  });

  const start = async (clock?: TestClock) => {
    const server = await startTestServer(
      {
        store: { url: schema.url },
        teams: { allowUnauthenticated: true },
        destinations: {},
        routes: [],
        mentions: { directMessages: { taggedUsers: false, taskAssignees: false } },
      },
      { clock },
    );
    servers.push(server);
    return server;
  };
  const reviewCards = () => teams.postsIn(AI_REVIEWS.id).filter((post) => post.thread === undefined);
  /** Jobs are stored with their event before the 200: none means routing sent it nowhere. */
  const jobsOf = async (server: TestServer) => (await server.runtime.store.listJobs({})).length;

  it('routes an event received by the other instance to the channel subscribed through the first', async () => {
    const clock = createTestClock();
    const [made, other] = [await start(), await start(clock)];
    const review = JSON.stringify(envelope);
    // The other instance routes an event first: it holds a snapshot with no subscription in it.
    expect((await sendSigned(other.webhookUrl, review)).status).toBe(200);
    expect(await jobsOf(other)).toBe(0);

    const answer = await fetch(`${made.baseUrl}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer anonymous' },
      body: JSON.stringify(
        teamsActivities.mentionedInChannel(
          teams.serviceUrl,
          RISK_TEAM,
          AI_REVIEWS,
          `subscribe ${UC_X} reviews`,
        ),
      ),
    });
    expect(answer.status).toBe(200);
    expect(await other.runtime.chat.subscriptions.list()).toHaveLength(1);

    // Within 5 s of its last read, the other instance still routes by its snapshot...
    expect((await sendSigned(other.webhookUrl, review)).status).toBe(200);
    expect(await jobsOf(other)).toBe(0);
    // ...and 5 s on, by the subscription.
    await clock.advance(SNAPSHOT_REFRESH_MS);
    expect((await sendSigned(other.webhookUrl, review)).status).toBe(200);
    await clock.advanceUntil(() => expect(reviewCards()).toHaveLength(1), { stepMs: 100 });
    await eventually(async () =>
      expect(await made.runtime.store.stats()).toMatchObject({ pending: 0, running: 0 }),
    );
  });
});
