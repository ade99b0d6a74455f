import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createPreferenceBook } from '../../src/subscriptions/preferences.js';
import type { QuietHours } from '../../src/time-of-day.js';
import { quietHoursEnd } from '../../src/worker/quiet-hours.js';
import { type FakeCredoApi, startFakeCredoApi } from '../helpers/fake-credo-api.js';
import { serverWithFakeSlack } from '../helpers/server-with-fake-slack.js';
import { sendSigned } from '../helpers/signed-delivery.js';
import type { TestServer } from '../helpers/test-server.js';

/**
 * Issue 18: a direct message due in its person's quiet hours is held in the store until they
 * end, in their own time zone, then arrives with the others as one digest; an urgent reason is
 * not held. On a clock the test moves: the quiet hours are set around the test's "now".
 */

const JOHN = 'MMC8qELwNoq9V27Y2cvqHf';
const STEVEN = { userId: 'FSZqZLT8eFUUp53uTM6Ref', email: 'steven@credo.ai', givenName: 'Steven' };
const JOHNS_DM = 'D0JOHN';
const TOKYO = 'Asia/Tokyo';

const commentTaggingJohn = (n: number) =>
  JSON.stringify({
    type: 'CredoAI.use_case_review_comment.v1',
    data: {
      useCaseId: 'ZiSPid3wLeXWTe4VTRjbq9',
      reviewId: 'pu7BDgxfVnK4RTQyb88uL',
      user: STEVEN,
      comment: `@[John Doe](users:${JOHN}) question ${n}`,
      taggedUsers: [{ user: 'John Doe', user_id: JOHN }],
    },
  });
const taskAssignedToJohn = JSON.stringify({
  type: 'CredoAI.use_case_review_task_status_updated.v1',
  data: {
    useCaseId: 'ZiSPid3wLeXWTe4VTRjbq9',
    reviewId: 'pu7BDgxfVnK4RTQyb88uL',
    assignedUserId: JOHN,
    assignerId: STEVEN.userId,
    status: 'in_progress',
    subStatus: 'none',
    user: STEVEN,
  },
});

/** HH:MM on the wall clock of `timeZone` at `at`, `hours` later. */
function wallClock(timeZone: string, at: number, hours: number): string {
  return new Intl.DateTimeFormat('en-GB', {
    timeZone,
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(at + hours * 3_600_000);
}

describe('direct messages in quiet hours (issue 18)', () => {
  const world = serverWithFakeSlack({ testClock: true });
  let credo: FakeCredoApi;
  beforeEach(async () => {
    credo = await startFakeCredoApi();
    credo.users.set(JOHN, { email: 'john.doe@acme.com', given_name: 'John', family_name: 'Doe' });
    world.slack.users.set('john.doe@acme.com', 'U0JOHN');
    world.slack.users.set(STEVEN.email, 'U0STEVEN');
  });
  afterEach(() => credo.close());

  /** Quiet in Tokyo from an hour ago until half an hour from now (by the test's clock). */
  const tokyoQuiet = () => ({
    from: wallClock(TOKYO, world.clock.now(), -1),
    to: wallClock(TOKYO, world.clock.now(), 0.5),
    timezone: TOKYO,
  });
  /** `personal`: John's own quiet hours, as `/credo me quiet …` stores them. */
  const start = async (quietHours?: Record<string, unknown>, personal?: QuietHours) => {
    const server = await world.start({
      credo: {
        auth: { method: 'none' },
        eventTypePrefix: 'CredoAI',
        eventTypeSuffix: 'v1',
        api: { url: credo.url, tenant: credo.tenant, token: credo.token },
      },
      destinations: { governance: { slack: { channel: 'C0GOVERNANCE' } } },
      routes: [],
      ...(quietHours && { mentions: { directMessages: { quietHours } } }),
    });
    if (personal) await saveOwnQuietHours(server, personal);
    return server;
  };
  const dmsToJohn = () => world.slack.messages.filter((message) => message.channel === JOHNS_DM);
  const heldFor = async () =>
    (await world.server.runtime.store.listJobs({ state: 'pending' })).filter((job) => job.heldFor);

  it('holds them until quiet hours end in Tokyo, then sends one digest: "While you were away: 2 mentions, 1 task assigned"', async () => {
    const quiet = tokyoQuiet();
    const server = await start(quiet);
    const end = quietHoursEnd(quiet, world.clock.now());
    expect(end).toBeDefined();
    for (const body of [commentTaggingJohn(1), taskAssignedToJohn, commentTaggingJohn(2)]) {
      expect((await sendSigned(server.webhookUrl, body)).status).toBe(200);
    }
    await world.clock.advanceUntil(async () => expect(await heldFor()).toHaveLength(3), { stepMs: 10 });
    expect(dmsToJohn()).toEqual([]);

    await world.clock.advanceUntil(() => expect(dmsToJohn()).toHaveLength(1), { stepMs: 60_000 });
    // Not before the end of his quiet hours, and within the step after it.
    expect(world.clock.now()).toBeGreaterThanOrEqual(end ?? 0);
    expect(world.clock.now()).toBeLessThan((end ?? 0) + 2 * 60_000);
    const [digest] = dmsToJohn();
    expect(digest?.text).toBe('🌙 While you were away: 2 mentions, 1 task assigned');
    const blocks = JSON.stringify(digest?.blocks);
    expect(blocks).toContain('New review comment');
    expect(blocks).toContain('Review task updated');
    // Once: nothing more comes, and nothing is left held.
    await world.clock.advance(10 * 60_000);
    expect(dmsToJohn()).toHaveLength(1);
    expect(await world.server.runtime.store.listJobs({ state: 'pending' })).toEqual([]);
  });

  it('sends an urgent reason at once and holds the rest', async () => {
    const server = await start({ ...tokyoQuiet(), urgent: ['assigned'] });
    await sendSigned(server.webhookUrl, taskAssignedToJohn);
    await sendSigned(server.webhookUrl, commentTaggingJohn(1));
    await world.clock.advanceUntil(() => expect(dmsToJohn()).toHaveLength(1), { stepMs: 10 });
    expect(String(dmsToJohn()[0]?.text)).toContain('review task');
    await world.clock.advanceUntil(async () => expect(await heldFor()).toHaveLength(1), { stepMs: 10 });
    // A window of one is the message itself, not a digest.
    await world.clock.advanceUntil(() => expect(dmsToJohn()).toHaveLength(2), { stepMs: 60_000 });
    expect(String(dmsToJohn()[1]?.text)).not.toContain('While you were away');
  });

  it('takes a person’s own quiet hours over the config’s', async () => {
    const server = await start(undefined, tokyoQuiet());
    await sendSigned(server.webhookUrl, commentTaggingJohn(1));
    await world.clock.advanceUntil(async () => expect(await heldFor()).toHaveLength(1), { stepMs: 10 });
    expect(dmsToJohn()).toEqual([]);
    await world.clock.advanceUntil(() => expect(dmsToJohn()).toHaveLength(1), { stepMs: 60_000 });
  });

  it('logs unreadable personal quiet hours with their code and applies the config’s (none here)', async () => {
    const lines: Array<Record<string, unknown>> = [];
    const server = await world.start(
      {
        credo: {
          auth: { method: 'none' },
          eventTypePrefix: 'CredoAI',
          eventTypeSuffix: 'v1',
          api: { url: credo.url, tenant: credo.tenant, token: credo.token },
        },
        destinations: { governance: { slack: { channel: 'C0GOVERNANCE' } } },
        routes: [],
      },
      { onLog: (line) => lines.push(line) },
    );
    await saveOwnQuietHours(server, { from: '19:00', to: '08:00', timezone: 'Mars/Olympus' });
    await sendSigned(server.webhookUrl, commentTaggingJohn(1));
    await world.clock.advanceUntil(() => expect(dmsToJohn()).toHaveLength(1), { stepMs: 10 });
    expect(lines.some((line) => line.code === 'CN_QUIET_HOURS_INVALID')).toBe(true);
  });
});

/** John's own quiet hours in the store, where `/credo me quiet …` puts them. */
function saveOwnQuietHours(server: TestServer, quiet: QuietHours): Promise<void> {
  const book = createPreferenceBook(server.runtime.store, () => Date.now());
  return book.put({ platform: 'slack', chatUserId: 'U0JOHN', dm: 'on', quiet, by: { id: 'U0JOHN' }, at: 0 });
}
