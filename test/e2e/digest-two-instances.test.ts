import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type FakeSlack, type FakeSlackMessage, startFakeSlack } from '../helpers/fake-slack.js';
import { TEST_BOT_TOKEN } from '../helpers/server-with-fake-slack.js';
import { sendSigned } from '../helpers/signed-delivery.js';
import { createTestClock, type TestClock } from '../helpers/test-clock.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { type FreshSchema, freshSchema, postgresUrl } from '../setup/fresh-postgres.js';

/**
 * Issue 18: two instances on one PostgreSQL database, both holding the events of one window
 * (each received half the burst), send one digest. Both run in this process on one test clock,
 * so the window closes for both at once, the moment a race would show.
 */

const WINDOW_SECONDS = 60;
const USE_CASES = ['FraudModel00000000000001', 'ChurnModel00000000000002'];

const fieldUpdate = (index: number, useCaseId: string) =>
  JSON.stringify({
    type: 'CredoAI.use_case_custom_field_updated.v1',
    data: {
      useCaseId,
      customFieldId: `cf${index}`,
      customFieldName: `Control ${index}`,
      value: `Level ${index}`,
    },
  });
const controlsIn = (message: FakeSlackMessage | undefined) =>
  [...`${message?.text} ${JSON.stringify(message?.blocks)}`.matchAll(/Control (\d+): Level/g)].map((m) =>
    Number(m[1]),
  );

describe.skipIf(!postgresUrl)('a digest with two instances (issue 18)', () => {
  let schema: FreshSchema;
  let clock: TestClock;
  let slack: FakeSlack;
  let servers: TestServer[] = [];
  beforeEach(async () => {
    schema = await freshSchema();
    clock = createTestClock();
    slack = await startFakeSlack({ clock });
    const config = {
      store: { url: schema.url },
      slack: { botToken: TEST_BOT_TOKEN, apiUrl: slack.url },
      mentions: { directMessages: { taggedUsers: false, taskAssignees: false } },
      destinations: { governance: { slack: { channel: 'C0GOVERNANCE' } } },
      routes: [{ match: { events: ['*'] }, to: ['governance'], digest: { windowSeconds: WINDOW_SECONDS } }],
    };
    servers = await Promise.all([1, 2].map(() => startTestServer(config, { clock })));
  });
  afterEach(async () => {
    await Promise.all(servers.map((server) => server.close()));
    await slack.close();
    await schema.drop();
  });

  it('sends each use case’s digest once, whichever instance received its events', async () => {
    const [a, b] = servers as [TestServer, TestServer];
    for (const useCase of USE_CASES) await sendSigned(a.webhookUrl, fieldUpdate(0, useCase));
    await clock.advanceUntil(() => expect(slack.messages).toHaveLength(2), { stepMs: 100 });
    for (let i = 1; i <= 6; i += 1) {
      for (const useCase of USE_CASES) await sendSigned((i % 2 ? a : b).webhookUrl, fieldUpdate(i, useCase));
    }
    await clock.advanceUntil(
      async () => {
        const held = (await a.runtime.store.listJobs({ state: 'pending' })).filter((job) => job.heldFor);
        expect(held).toHaveLength(12);
      },
      { stepMs: 10 },
    );

    await clock.advanceUntil(() => expect(slack.messages).toHaveLength(4), { stepMs: 1_000 });
    // Two more windows: no instance sends a second digest.
    await clock.advanceUntil(
      async () => {
        const unfinished = await a.runtime.store.stats();
        expect(unfinished).toMatchObject({ pending: 0, running: 0 });
      },
      { stepMs: 1_000 },
    );
    await clock.advance(2 * WINDOW_SECONDS * 1000);
    expect(slack.messages).toHaveLength(4);
    for (const useCase of USE_CASES) {
      const digests = slack.messages
        .slice(2)
        .filter((message) => JSON.stringify(message.blocks).includes(`/use-cases/${useCase}`));
      expect(digests, useCase).toHaveLength(1);
      expect(controlsIn(digests[0])).toEqual([1, 2, 3, 4, 5, 6]);
    }
  });
});
