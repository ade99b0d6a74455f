import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type FakeCredoApi, startFakeCredoApi } from '../helpers/fake-credo-api.js';
import { serverWithFakeSlack } from '../helpers/server-with-fake-slack.js';
import { sendSigned } from '../helpers/signed-delivery.js';

/**
 * Issue #16: a lookup that fails is not "nobody". A direct message whose person cannot be found
 * for now (Slack's users.lookupByEmail or the Credo AI API failing) waits and is retried like any
 * send; channel messages still go out with what the event carries.
 */

const JOHN = 'MMC8qELwNoq9V27Y2cvqHf';
const STEVEN = { userId: 'FSZqZLT8eFUUp53uTM6Ref', email: 'steven@credo.ai', givenName: 'Steven' };
const commentTaggingJohn = JSON.stringify({
  type: 'CredoAI.use_case_review_comment.v1',
  data: {
    useCaseId: 'ZiSPid3wLeXWTe4VTRjbq9',
    reviewId: 'pu7BDgxfVnK4RTQyb88uL',
    user: STEVEN,
    comment: `@[John Doe](users:${JOHN}) can you check the bias report?`,
    taggedUsers: [{ user: 'John Doe', user_id: JOHN }],
  },
});
const JOHNS_DM = 'D0JOHN';

describe('a direct message whose person cannot be looked up for now', () => {
  const world = serverWithFakeSlack({ testClock: true });
  let credo: FakeCredoApi;
  beforeEach(async () => {
    credo = await startFakeCredoApi();
    credo.users.set(JOHN, { email: 'john.doe@acme.com', given_name: 'John', family_name: 'Doe' });
    world.slack.users.set('john.doe@acme.com', 'U0JOHN');
    world.slack.users.set(STEVEN.email, 'U0STEVEN');
    lines = [];
  });
  afterEach(() => credo.close());

  let lines: Array<Record<string, unknown>> = [];
  const start = (routes: unknown[] = []) =>
    world.start(
      {
        credo: {
          auth: { method: 'none' },
          eventTypePrefix: 'CredoAI',
          eventTypeSuffix: 'v1',
          api: { url: credo.url, tenant: credo.tenant, token: credo.token },
        },
        destinations: { governance: { slack: { channel: 'C0GOVERNANCE' } } },
        routes,
      },
      { onLog: (line) => lines.push(line) },
    );
  const dmJob = async () => {
    const jobs = await world.server.runtime.store.listJobs({});
    return jobs.find((job) => job.destination.startsWith('dm:'));
  };
  const dmsToJohn = () => world.slack.messages.filter((message) => message.channel === JOHNS_DM);
  const advanceUntil = <T>(check: () => T | Promise<T>) => world.clock.advanceUntil(check, { stepMs: 250 });

  it('arrives on the third try after users.lookupByEmail failed twice (5xx, then no answer)', async () => {
    const server = await start();
    world.slack.answerNext('users.lookupByEmail', { status: 503 }, { lostAnswer: true });
    expect((await sendSigned(server.webhookUrl, commentTaggingJohn)).status).toBe(200);

    const job = await advanceUntil(async () => {
      const found = await dmJob();
      expect(found?.state).toBe('done');
      return found;
    });
    expect(job?.attempts).toBe(3);
    expect(dmsToJohn()).toHaveLength(1);
    const johnsLookups = world.slack
      .callsTo('users.lookupByEmail')
      .filter((call) => call.body.email === 'john.doe@acme.com');
    expect(johnsLookups).toHaveLength(3);
  });

  it('waits for the Credo AI API to know their email; the channel message goes out meanwhile', async () => {
    credo.setDown(true);
    const server = await start([{ match: { events: ['*'] }, to: ['governance'] }]);
    expect((await sendSigned(server.webhookUrl, commentTaggingJohn)).status).toBe(200);

    const waiting = await advanceUntil(async () => {
      const channel = world.slack.messages.filter((message) => message.channel === 'C0GOVERNANCE');
      expect(channel).toHaveLength(1);
      expect(`${channel[0]?.text} ${JSON.stringify(channel[0]?.blocks)}`).toContain('*John Doe*');
      const found = await dmJob();
      expect(found).toMatchObject({ state: 'pending', lastError: expect.stringMatching(/^CN_CREDO_API_/) });
      expect(found?.attempts).toBeGreaterThanOrEqual(2);
      return found;
    });
    expect(dmsToJohn()).toEqual([]);

    credo.setDown(false);
    const delivered = await advanceUntil(async () => {
      const found = await dmJob();
      expect(found?.state).toBe('done');
      return found;
    });
    expect(delivered?.attempts).toBeGreaterThan(waiting?.attempts ?? 0);
    expect(dmsToJohn()).toHaveLength(1);
  });

  it.each([
    ['deactivated', { id: 'U0JOHN', deleted: true }],
    ['a bot', { id: 'U0JOHN', is_bot: true }],
  ])('skips a person Slack finds %s, with an info line and no dead letter', async (how, user) => {
    world.slack.users.set('john.doe@acme.com', user);
    const server = await start();
    expect((await sendSigned(server.webhookUrl, commentTaggingJohn)).status).toBe(200);

    await advanceUntil(async () => expect((await dmJob())?.state).toBe('done'));
    expect(world.slack.callsTo('conversations.open')).toEqual([]);
    expect(dmsToJohn()).toEqual([]);
    const info = lines.filter((line) => line.level === 30 && String(line.msg).includes(how));
    expect(info).toEqual([expect.objectContaining({ slackUser: 'U0JOHN' })]);
  });

  it('skips a person Slack does not let the bot write to (conversations.open user_not_visible)', async () => {
    const server = await start();
    world.slack.answerNext('conversations.open', { error: 'user_not_visible' });
    expect((await sendSigned(server.webhookUrl, commentTaggingJohn)).status).toBe(200);

    const job = await advanceUntil(async () => {
      const found = await dmJob();
      expect(found?.state).toBe('done');
      return found;
    });
    expect(job?.attempts).toBe(1);
    expect(dmsToJohn()).toEqual([]);
    expect(lines.map((line) => line.msg)).toContain(
      'direct message not sent: Slack will not let the bot write to them (user_not_visible)',
    );
  });
});
