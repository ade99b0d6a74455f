import { describe, expect, it } from 'vitest';
import { fixtureEvent } from '../helpers/fixture-events.js';
import { serverWithFakeSlack } from '../helpers/server-with-fake-slack.js';
import { sendSigned } from '../helpers/signed-delivery.js';
import { eventually } from '../helpers/test-server.js';

/**
 * Issue 13, the engine's Slack side: the command Slack's inbound side hands over (what
 * `/credo subscribe` becomes) makes a subscription whose messages reach that channel through
 * the configured Slack bot, rendered with a route's Slack templates, and one event only once.
 */
const { envelope: review } = fixtureEvent('use_case_review_status_updated');
const { envelope: task } = fixtureEvent('use_case_review_task_status_updated');
const UC = String(review.data.useCaseId);

describe('a chat subscription made from Slack', () => {
  const world = serverWithFakeSlack();

  it('reaches the channel it was made in through the Slack bot, threaded as subscriptions.defaults says', async () => {
    const server = await world.start({
      destinations: { governance: { slack: { channel: 'C0GOVERNANCE' } } },
      routes: [{ match: { events: ['use_case_review_task_*'] }, to: ['governance'] }],
      subscriptions: { defaults: { thread: 'review' } },
      mentions: { directMessages: { taggedUsers: false, taskAssignees: false } },
    });
    const reply = await server.runtime.runChatCommand({
      platform: 'slack',
      conversationId: 'C0RISK',
      conversationKind: 'channel',
      person: { id: 'U0ANN', name: 'Ann Lee' },
      text: `subscribe ${UC} reviews`,
    });
    expect(reply).toMatchObject({ ok: true, summary: `Subscribed this channel to reviews of ${UC}.` });

    for (const event of [review, task]) {
      expect((await sendSigned(server.webhookUrl, JSON.stringify(event))).status).toBe(200);
    }
    await eventually(async () =>
      expect(await server.runtime.store.stats()).toMatchObject({ pending: 0, running: 0 }),
    );
    const inRisk = world.slack.messages.filter((message) => message.channel === 'C0RISK');
    // The review, under its thread's parent: the task event went only where the route sends it.
    expect(inRisk.map((message) => (message.thread_ts === undefined ? 'parent' : 'reply'))).toEqual([
      'parent',
      'reply',
    ]);
    expect(world.slack.messages.filter((message) => message.channel === 'C0GOVERNANCE')).toHaveLength(1);
    const jobs = await server.runtime.store.listJobs({});
    expect(jobs.map((job) => job.destination).sort()).toEqual(['chat:slack:C0RISK', 'governance']);
  });
});
