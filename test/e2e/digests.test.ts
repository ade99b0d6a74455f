import { describe, expect, it } from 'vitest';
import type { FakeSlackMessage } from '../helpers/fake-slack.js';
import { serverWithFakeSlack } from '../helpers/server-with-fake-slack.js';
import { sendSigned } from '../helpers/signed-delivery.js';

/**
 * Issue 18: bursts to a route with `digest` go as one message per window, held in the store, on a
 * clock the test moves: no window is waited out for real.
 */

const FRAUD_MODEL = 'FraudModel00000000000001';
const CHURN_MODEL = 'ChurnModel00000000000002';
const ANA = {
  userId: 'AnaLima0000000000000001',
  givenName: 'Ana',
  familyName: 'Lima',
  email: 'ana@acme.com',
};
const WINDOW_SECONDS = 120;

/** The `index`-th edit of a use case, as Credo AI sends one event per field changed. */
const fieldUpdate = (index: number, useCaseId = FRAUD_MODEL) =>
  JSON.stringify({
    type: 'CredoAI.use_case_custom_field_updated.v1',
    data: {
      useCaseId,
      user: ANA,
      customFieldId: `cf${index}`,
      customFieldName: `Control ${index}`,
      value: `Level ${index}`,
    },
  });

const commentTagging = (useCaseId: string) =>
  JSON.stringify({
    type: 'CredoAI.use_case_review_comment.v1',
    data: {
      useCaseId,
      reviewId: 'Review000000000000000001',
      user: ANA,
      comment: '@[John Doe](users:JohnDoe0000000000000001) please look',
      taggedUsers: [{ user: 'John Doe', user_id: 'JohnDoe0000000000000001' }],
    },
  });

const textOf = (message: FakeSlackMessage | undefined) =>
  `${message?.text} ${JSON.stringify(message?.blocks)}`;
const controlsIn = (message: FakeSlackMessage | undefined) =>
  [...textOf(message).matchAll(/Control (\d+): Level/g)].map((match) => Number(match[1]));

describe('digests of bursts (issue 18)', () => {
  const world = serverWithFakeSlack({ testClock: true });
  const start = (route: Record<string, unknown> = {}) =>
    world.start({
      mentions: { directMessages: { taggedUsers: false, taskAssignees: false } },
      destinations: { governance: { slack: { channel: 'C0GOVERNANCE' } } },
      routes: [
        { match: { events: ['*'] }, to: ['governance'], digest: { windowSeconds: WINDOW_SECONDS }, ...route },
      ],
    });
  const posts = () => world.slack.messages.filter((message) => message.channel === 'C0GOVERNANCE');
  const advanceUntil = <T>(check: () => T | Promise<T>) => world.clock.advanceUntil(check, { stepMs: 1_000 });
  const heldJobs = async () =>
    (await world.server.runtime.store.listJobs({ state: 'pending' })).filter((job) => job.heldFor);

  it('sends the first of ten field updates at once, and the nine that follow as one message when the window closes', async () => {
    const server = await start();
    const startedAt = world.clock.now();
    expect((await sendSigned(server.webhookUrl, fieldUpdate(0))).status).toBe(200);
    await advanceUntil(() => expect(posts()).toHaveLength(1));
    expect(controlsIn(posts()[0])).toEqual([0]);

    for (let i = 1; i < 10; i += 1)
      expect((await sendSigned(server.webhookUrl, fieldUpdate(i))).status).toBe(200);
    await world.clock.advanceUntil(async () => expect(await heldJobs()).toHaveLength(9), { stepMs: 10 });
    expect(posts()).toHaveLength(1);

    const [, digest] = await advanceUntil(() => {
      expect(posts()).toHaveLength(2);
      return posts();
    });
    expect(world.clock.now() - startedAt).toBeGreaterThanOrEqual(WINDOW_SECONDS * 1000);
    expect(controlsIn(digest)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(String(digest?.text)).toContain('Ana Lima changed 9 fields');
    // Sent once: another window of quiet brings nothing more.
    await world.clock.advance(3 * WINDOW_SECONDS * 1000);
    expect(posts()).toHaveLength(2);
    expect(await heldJobs()).toEqual([]);
  });

  it('makes one digest per use case of a burst to two', async () => {
    const server = await start();
    for (const useCase of [FRAUD_MODEL, CHURN_MODEL])
      await sendSigned(server.webhookUrl, fieldUpdate(0, useCase));
    await advanceUntil(() => expect(posts()).toHaveLength(2));
    for (let i = 1; i <= 3; i += 1) {
      for (const useCase of [FRAUD_MODEL, CHURN_MODEL])
        await sendSigned(server.webhookUrl, fieldUpdate(i, useCase));
    }
    await world.clock.advanceUntil(async () => expect(await heldJobs()).toHaveLength(6), { stepMs: 10 });

    await advanceUntil(() => expect(posts()).toHaveLength(4));
    const digests = posts().slice(2);
    for (const useCase of [FRAUD_MODEL, CHURN_MODEL]) {
      const mine = digests.filter((post) => textOf(post).includes(`/use-cases/${useCase}`));
      expect(mine, useCase).toHaveLength(1);
      expect(controlsIn(mine[0])).toEqual([1, 2, 3]);
    }
  });

  it('sends a window that held one event as its own message, and a comment that tags someone at once', async () => {
    const server = await start();
    await sendSigned(server.webhookUrl, fieldUpdate(0));
    await advanceUntil(() => expect(posts()).toHaveLength(1));
    await sendSigned(server.webhookUrl, fieldUpdate(1));
    await sendSigned(server.webhookUrl, commentTagging(FRAUD_MODEL));
    // The comment is not held: John is pinged when tagged.
    await advanceUntil(() => expect(posts()).toHaveLength(2));
    expect(textOf(posts()[1])).toContain('please look');
    expect(await heldJobs()).toHaveLength(1);

    await advanceUntil(() => expect(posts()).toHaveLength(3));
    // The usual message of that event, not a digest of one.
    expect(controlsIn(posts()[2])).toEqual([1]);
    expect(String(posts()[2]?.text)).not.toContain('changed 1 fields');
  });

  it('puts the digest in the use case’s thread with `thread: useCase`', async () => {
    const server = await start({ thread: 'useCase' });
    await sendSigned(server.webhookUrl, fieldUpdate(0));
    // The thread's parent, then the first event as its reply.
    await advanceUntil(() => expect(posts()).toHaveLength(2));
    const parent = posts()[0];
    for (let i = 1; i <= 2; i += 1) await sendSigned(server.webhookUrl, fieldUpdate(i));
    await world.clock.advanceUntil(async () => expect(await heldJobs()).toHaveLength(2), { stepMs: 10 });
    await advanceUntil(() => expect(posts()).toHaveLength(3));
    expect(posts()[2]?.thread_ts).toBe(parent?.ts);
    expect(controlsIn(posts()[2])).toEqual([1, 2]);
  });

  it('retries a digest Slack failed, and sends it once', async () => {
    const server = await start();
    await sendSigned(server.webhookUrl, fieldUpdate(0));
    await advanceUntil(() => expect(posts()).toHaveLength(1));
    for (let i = 1; i <= 3; i += 1) await sendSigned(server.webhookUrl, fieldUpdate(i));
    await world.clock.advanceUntil(async () => expect(await heldJobs()).toHaveLength(3), { stepMs: 10 });
    world.slack.answerNext('chat.postMessage', { status: 503 });
    await advanceUntil(() => expect(posts()).toHaveLength(2));
    expect(world.slack.callsTo('chat.postMessage')).toHaveLength(3);
    expect(controlsIn(posts()[1])).toEqual([1, 2, 3]);
    await advanceUntil(async () =>
      expect(await server.runtime.store.stats()).toMatchObject({ pending: 0, running: 0, dead: 0 }),
    );
    expect(posts()).toHaveLength(2);
  });

  it('counts held events by reason and digests sent', async () => {
    const server = await start();
    await sendSigned(server.webhookUrl, fieldUpdate(0));
    await advanceUntil(() => expect(posts()).toHaveLength(1));
    for (let i = 1; i <= 2; i += 1) await sendSigned(server.webhookUrl, fieldUpdate(i));
    await advanceUntil(() => expect(posts()).toHaveLength(2));
    const metrics = await (await fetch(`${server.baseUrl}/metrics`)).text();
    expect(metrics).toContain('credo_notify_events_held_total{destination="governance",reason="burst"} 2');
    expect(metrics).toContain('credo_notify_digests_sent_total{destination="governance"} 1');
  });
});
