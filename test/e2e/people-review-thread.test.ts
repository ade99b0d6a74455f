import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type FakeCredoApi, startFakeCredoApi } from '../helpers/fake-credo-api.js';
import { type FakeSlack, type FakeSlackMessage, startFakeSlack } from '../helpers/fake-slack.js';
import { QUICK_PACE } from '../helpers/server-with-fake-slack.js';
import { sendSigned, TEST_SECRET } from '../helpers/signed-delivery.js';
import { eventually, startTestServer, type TestServer } from '../helpers/test-server.js';

/**
 * Issue #4, end to end: signed deliveries over HTTP → the real runtime (SQLite) → fake Slack,
 * with a fake Credo AI API that knows the people and the use case.
 */

const USE_CASE = 'ZiSPid3wLeXWTe4VTRjbq9';
const REVIEW = 'pu7BDgxfVnK4RTQyb88uL';
const STEVEN = { userId: 'FSZqZLT8eFUUp53uTM6Ref', email: 'steven@credo.ai', givenName: 'Steven' };
const JOHN = 'MMC8qELwNoq9V27Y2cvqHf';
const JANE = 'J4neRoeReviewer0000000';

/** A delivery as Credo AI sends it: `CredoAI.<type>.v1` around `data`, about the one review. */
const delivery = (type: string, data: Record<string, unknown>) =>
  JSON.stringify({
    type: `CredoAI.${type}.v1`,
    data: { useCaseId: USE_CASE, reviewId: REVIEW, user: STEVEN, ...data },
  });

const commentTaggingJohnAndJane = delivery('use_case_review_comment', {
  comment: `@[John Doe](users:${JOHN}) and @[Jane Roe](users:${JANE}), can you check the bias report?`,
  taggedUsers: [
    { user: 'John Doe', user_id: JOHN },
    { user: 'Jane Roe', user_id: JANE },
  ],
});
const statusSetTo = (status: string) => delivery('use_case_review_status_updated', { status });
const johnsTaskDone = delivery('use_case_review_task_status_updated', {
  status: 'done',
  subStatus: 'approve',
  assignedUserId: JOHN,
  assignerId: STEVEN.userId,
});
const plainComment = delivery('use_case_review_comment', {
  comment: 'Thanks both, closing soon.',
  taggedUsers: [],
});

let slack: FakeSlack;
let credo: FakeCredoApi;
let dir: string;
const servers: TestServer[] = [];

beforeEach(async () => {
  slack = await startFakeSlack();
  credo = await startFakeCredoApi();
  dir = mkdtempSync(join(tmpdir(), 'credo-notify-people-'));
  credo.users.set(JOHN, { email: 'john.doe@acme.com', given_name: 'John', family_name: 'Doe' });
  credo.users.set(JANE, { email: 'jane.roe@acme.com', given_name: 'Jane', family_name: 'Roe' });
  credo.users.set(STEVEN.userId, { email: STEVEN.email, given_name: 'Steven' });
  credo.useCases.set(USE_CASE, { name: 'Credit scoring' });
  slack.users.set('john.doe@acme.com', 'U0JOHN');
  slack.users.set('jane.roe@acme.com', 'U0JANE');
  slack.users.set(STEVEN.email, 'U0STEVEN');
});
afterEach(async () => {
  for (const server of servers.splice(0)) await server.close();
  await slack.close();
  await credo.close();
  rmSync(dir, { recursive: true, force: true });
});

/** The product as a user configures it, on a SQLite file that outlives one run. */
async function start(mentions: Record<string, unknown> = {}): Promise<TestServer> {
  const server = await startTestServer(
    {
      store: { url: `sqlite:${join(dir, 'credo-notify.db')}` },
      credo: {
        auth: { method: 'svix', secrets: [TEST_SECRET] },
        eventTypePrefix: 'CredoAI',
        eventTypeSuffix: 'v1',
        appUrl: 'https://app.credo.ai/acme',
        api: { url: credo.url, tenant: credo.tenant, token: credo.token },
      },
      slack: { botToken: 'xoxb-people-e2e', apiUrl: slack.url },
      destinations: { governance: { slack: { channel: 'C0GOVERNANCE' } } },
      routes: [
        { name: 'reviews', match: { events: ['use_case_review_*'] }, to: ['governance'], thread: 'review' },
      ],
      mentions,
    },
    { timing: QUICK_PACE },
  );
  servers.push(server);
  return server;
}

/** Posts each delivery in order, each answered 2xx before the next. */
async function deliver(server: TestServer, ...bodies: string[]) {
  for (const body of bodies) expect((await sendSigned(server.webhookUrl, body)).status).toBe(200);
}

const inChannel = () => slack.messages.filter((message) => message.channel === 'C0GOVERNANCE');
const dmsTo = (slackUserId: string) =>
  slack.messages.filter((message) => message.channel === `D${slackUserId.slice(1)}`);
const shown = (message: FakeSlackMessage | undefined) =>
  `${message?.text}\n${JSON.stringify(message?.blocks)}`;
/** Every job finished, sent or not: nothing more will reach Slack. */
const settled = (server: TestServer) =>
  eventually(async () =>
    expect(await server.runtime.store.stats()).toMatchObject({ pending: 0, running: 0 }),
  );
const parentUpdates = () => slack.callsTo('chat.update').map((call) => `${call.body.ts} ${call.body.text}`);

describe('telling the right people about a review', () => {
  it('pings both people a comment tags, in the channel and by DM, and reads as one thread with the current status', async () => {
    const server = await start();

    await deliver(server, commentTaggingJohnAndJane, statusSetTo('in_progress'), johnsTaskDone, plainComment);
    await deliver(server, statusSetTo('approved'));
    await settled(server);

    // One thread: a parent, then every event as a reply under it, in order.
    expect(inChannel()).toHaveLength(6);
    const [parent, ...replies] = inChannel();
    expect(parent?.thread_ts).toBeUndefined();
    expect(shown(parent)).toContain('Review of Credit scoring');
    expect(replies.map((reply) => reply.thread_ts)).toEqual(Array(5).fill(parent?.ts));
    expect(shown(replies[0])).toContain('<@U0JOHN> and <@U0JANE>, can you check the bias report?');
    expect(shown(replies[2])).toContain('*Assigned to*\\n<@U0JOHN>');
    expect(shown(replies[3])).toContain('Thanks both');
    // The parent follows the status: In progress, then Approved.
    expect(parentUpdates()).toEqual([
      `${parent?.ts} 📋 Review of Credit scoring: 🔄 In progress`,
      `${parent?.ts} 📋 Review of Credit scoring: ✅ Approved`,
    ]);

    // Both tagged people are told directly: the comment, who wrote it, where, and a link.
    for (const id of ['U0JOHN', 'U0JANE']) {
      const dm = shown(dmsTo(id)[0]);
      expect(dm).toContain('*Steven* mentioned you in a comment on the review of');
      expect(dm).toContain('Credit scoring');
      expect(dm).toContain('can you check the bias report?');
      expect(dm).toContain(`https://app.credo.ai/acme/use-cases/${USE_CASE}/reviews/${REVIEW}`);
    }
    expect(shown(dmsTo('U0JOHN')[1])).toContain('your review task on');
    // Nobody hears by DM of their own action, and nobody twice for one event.
    expect(dmsTo('U0STEVEN')).toEqual([]);
    expect(dmsTo('U0JANE')).toHaveLength(1);
  });

  it('keeps replying under the same parent after a restart on the same database', async () => {
    const first = await start();
    await deliver(first, commentTaggingJohnAndJane);
    await settled(first);
    await first.close();
    servers.splice(servers.indexOf(first), 1);

    const second = await start();
    await deliver(second, statusSetTo('approved'), commentTaggingJohnAndJane);
    await settled(second);

    expect(inChannel()).toHaveLength(4);
    const [parent, ...replies] = inChannel();
    expect(replies.map((reply) => reply.thread_ts)).toEqual(Array(3).fill(parent?.ts));
    expect(parentUpdates()).toEqual([`${parent?.ts} 📋 Review of Credit scoring: ✅ Approved`]);
    expect(shown(replies[2])).toContain('<@U0JOHN> and <@U0JANE>');
    // Who John is was remembered too: neither Credo AI nor Slack was asked again.
    expect(credo.requests.filter((request) => request.path.endsWith(`/users/${JOHN}`))).toHaveLength(1);
    const johnLookups = slack
      .callsTo('users.lookupByEmail')
      .filter((call) => call.body.email === 'john.doe@acme.com');
    expect(johnLookups).toHaveLength(1);
  });

  it('still delivers, with the names the events carry, while the Credo AI API is down', async () => {
    credo.setDown(true);
    const server = await start({ users: { [JOHN]: { slack: 'U0JOHN' } } });

    await deliver(server, commentTaggingJohnAndJane);
    await eventually(() => {
      expect(inChannel()).toHaveLength(2);
      expect(dmsTo('U0JOHN')).toHaveLength(1);
    });

    const comment = shown(inChannel()[1]);
    // John is known from the config; Jane only by the name in the comment.
    expect(comment).toContain('<@U0JOHN> and *Jane Roe*, can you check');
    expect(comment).toContain(USE_CASE);
    expect(dmsTo('U0JANE')).toEqual([]);
    expect(await server.runtime.store.listJobs({ state: 'dead' })).toEqual([]);
    // Issue #16: Jane's email only the API knows, so her DM waits for it rather than drop.
    await eventually(async () => {
      const [janes] = await server.runtime.store.listJobs({ destination: `dm:slack:${JANE}` });
      expect(janes?.lastError).toMatch(/^CN_CREDO_API_/);
      expect(janes?.state).not.toBe('done');
    });
  });
});
