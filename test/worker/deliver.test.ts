import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { systemClock } from '../../src/clock.js';
import { type Config, configSchema } from '../../src/config/schema.js';
import { buildConfigState } from '../../src/config-state.js';
import { createFailedAuthLimit } from '../../src/http/failed-auth-limit.js';
import type { RenderInput } from '../../src/render/renderer.js';
import { openStore } from '../../src/store/open-store.js';
import type { ClaimedJob, JobSpec, Store } from '../../src/store/store.js';
import { createChatMemory } from '../../src/subscriptions/chat-memory.js';
import { createDeliverer } from '../../src/worker/deliver.js';
import { type FakeCredoApi, startFakeCredoApi } from '../helpers/fake-credo-api.js';
import { type FakeSlack, type FakeSlackCall, startFakeSlack } from '../helpers/fake-slack.js';
import { fixtureInput, type LogLine } from '../people/people-world.js';

const REVIEW = 'pu7BDgxfVnK4RTQyb88uL';
const USE_CASE = 'ZiSPid3wLeXWTe4VTRjbq9';
const JOHN = 'MMC8qELwNoq9V27Y2cvqHf';
const reviews: JobSpec = { kind: 'route', route: 'reviews', thread: 'review' };

let slack: FakeSlack;
let credo: FakeCredoApi;
let store: Store;
let logs: LogLine[];
let jobCount = 0;

beforeEach(async () => {
  slack = await startFakeSlack();
  credo = await startFakeCredoApi();
  store = openStore('sqlite::memory:');
  await store.migrate();
  logs = [];
});
afterEach(async () => {
  await store.close();
  await slack.close();
  await credo.close();
});

function configWith(overrides: Record<string, unknown> = {}): Config {
  return configSchema.parse({
    credo: { auth: { method: 'none' }, api: { url: credo.url, tenant: credo.tenant, token: credo.token } },
    slack: { botToken: 'xoxb-deliver-test', apiUrl: slack.url },
    destinations: {
      reviews: { slack: { channel: '#ai-reviews' } },
      governance: { slack: { channel: 'C0GOVERNANCE' } },
      legacy: { slackWebhook: { url: slack.webhookUrl } },
    },
    ...overrides,
  });
}

/** The deliverer as the runtime builds it, for `config`. */
function delivererFor(config: Config = configWith()) {
  const log = pino({ level: 'info' }, { write: (line: string) => void logs.push(JSON.parse(line)) });
  const clock = systemClock;
  const failedAuth = createFailedAuthLimit({ clock });
  const chat = createChatMemory({ store, clock, log });
  const state = buildConfigState(config, { clock, log, store, write: () => {}, failedAuth, ...chat });
  const deliver = createDeliverer({ state: () => state, store, clock, log });
  // Pacing is the worker's (test/worker/worker.test.ts): here every call goes at once.
  return (claimed: ClaimedJob) => deliver(claimed, (call) => call());
}

/** A job as the store hands it to the worker: `input`'s event, for `destination`. */
function job(input: RenderInput, destination: string, spec: JobSpec = reviews): ClaimedJob {
  jobCount += 1;
  const { event } = input;
  return {
    id: jobCount,
    eventId: `${event.id}-${jobCount}`,
    destination,
    spec,
    state: 'running',
    attempts: 1,
    runAt: 0,
    createdAt: 0,
    lastError: null,
    event: {
      id: `${event.id}-${jobCount}`,
      type: event.type,
      rawType: event.rawType,
      payload: { type: event.rawType, data: event.data },
      receivedAt: event.receivedAt,
    },
  };
}

/** A comment on the review the status and task fixtures are about. */
const commentOnReview = (comment = 'Looks good') =>
  fixtureInput('use_case_review_comment', (data) => {
    Object.assign(data, { reviewId: REVIEW, useCaseId: USE_CASE, comment, taggedUsers: [] });
  });
const statusSetTo = (status: string) =>
  fixtureInput('use_case_review_status_updated', (data) => {
    data.status = status;
  });

const posts = () => slack.callsTo('chat.postMessage');
const updates = () => slack.callsTo('chat.update');
const textOf = (call: FakeSlackCall | undefined) => `${call?.body.text} ${JSON.stringify(call?.body.blocks)}`;

describe('a route with thread: review', () => {
  it('starts the thread with a parent, then posts every event about the review under it', async () => {
    const deliver = delivererFor();

    await deliver(job(commentOnReview(), 'reviews'));
    await deliver(job(fixtureInput('use_case_review_task_status_updated'), 'reviews'));

    const [parent, comment, task] = posts();
    expect(posts()).toHaveLength(3);
    expect(parent?.body.thread_ts).toBeUndefined();
    expect(textOf(parent)).toContain('Review of');
    expect(textOf(parent)).toContain('not reported yet');
    const parentTs = slack.messages[0]?.ts;
    expect(comment?.body.thread_ts).toBe(parentTs);
    expect(textOf(comment)).toContain('Looks good');
    expect(task?.body.thread_ts).toBe(parentTs);
    expect(updates()).toEqual([]);
  });

  it('shows the review status in a new parent, and updates the parent when the status changes', async () => {
    const deliver = delivererFor();

    await deliver(job(statusSetTo('in_progress'), 'reviews'));
    await deliver(job(commentOnReview(), 'reviews'));
    await deliver(job(statusSetTo('in_progress'), 'reviews'));
    await deliver(job(statusSetTo('approved'), 'reviews'));

    expect(textOf(posts()[0])).toContain('In progress');
    const parentTs = slack.messages[0]?.ts;
    expect(
      posts()
        .slice(1)
        .map((post) => post.body.thread_ts),
    ).toEqual(Array(4).fill(parentTs));
    // Only a change of status touches the parent; chat.update needs the channel id, not '#ai-reviews'.
    expect(updates()).toHaveLength(1);
    expect(updates()[0]?.body).toMatchObject({ channel: slack.channelIdFor('ai-reviews'), ts: parentTs });
    expect(textOf(updates()[0])).toContain('Approved');
    expect(textOf(updates()[0])).not.toContain('In progress');
  });

  it('keeps one thread per review and per destination', async () => {
    const deliver = delivererFor();
    const otherReview = fixtureInput('use_case_review_status_updated', (data) => {
      data.reviewId = 'AnotherReview000000000';
    });

    await deliver(job(statusSetTo('in_progress'), 'reviews'));
    await deliver(job(statusSetTo('in_progress'), 'governance'));
    await deliver(job(otherReview, 'reviews'));
    await deliver(job(commentOnReview(), 'governance'));

    const parents = posts().filter((post) => post.body.thread_ts === undefined);
    expect(parents).toHaveLength(3);
    const governanceParent = slack.messages.find((message) => message.channel === 'C0GOVERNANCE');
    const governanceReplies = posts().filter(
      (post) => post.body.channel === 'C0GOVERNANCE' && post.body.thread_ts,
    );
    expect(governanceReplies.map((post) => post.body.thread_ts)).toEqual(Array(2).fill(governanceParent?.ts));
  });

  it('with thread: useCase, puts every review of a use case in one thread', async () => {
    const deliver = delivererFor();
    const byUseCase: JobSpec = { ...reviews, thread: 'useCase' };
    const otherReview = fixtureInput('use_case_review_status_updated', (data) => {
      data.reviewId = 'AnotherReview000000000';
    });

    await deliver(job(statusSetTo('in_progress'), 'reviews', byUseCase));
    await deliver(job(otherReview, 'reviews', byUseCase));
    await deliver(
      job(
        fixtureInput('use_case_custom_field_updated', (data) => {
          data.useCaseId = USE_CASE;
        }),
        'reviews',
        byUseCase,
      ),
    );

    expect(posts()).toHaveLength(4);
    expect(posts().filter((post) => post.body.thread_ts === undefined)).toHaveLength(1);
    expect(textOf(posts()[0])).toContain('Latest review status');
  });

  it('posts flat with thread: none, to an incoming webhook, and for events about no review', async () => {
    const deliver = delivererFor();

    await deliver(job(statusSetTo('approved'), 'reviews', { ...reviews, thread: 'none' }));
    await deliver(job(statusSetTo('approved'), 'legacy'));
    await deliver(job(fixtureInput('use_case_custom_field_updated'), 'reviews'));

    expect(posts()).toHaveLength(2);
    expect(posts().every((post) => post.body.thread_ts === undefined)).toBe(true);
    expect(slack.callsTo('webhook')).toHaveLength(1);
    expect(updates()).toEqual([]);
  });

  it('never posts a second parent when the reply failed and the job is tried again', async () => {
    const deliver = delivererFor();
    const comment = job(commentOnReview(), 'reviews');
    slack.answerNext('chat.postMessage', { status: 200, body: { ok: true, channel: 'CREVIEWS', ts: '1.0' } });
    slack.answerNext('chat.postMessage', { error: 'internal_error' });

    await expect(deliver(comment)).rejects.toMatchObject({ retryable: true });
    await deliver(comment);

    expect(posts()).toHaveLength(3);
    expect(posts()[2]?.body.thread_ts).toBe('1.0');
  });

  it('still posts the reply when the parent cannot be updated, and tries the update again next time', async () => {
    const deliver = delivererFor();
    await deliver(job(statusSetTo('in_progress'), 'reviews'));
    slack.answerNext('chat.update', { error: 'internal_error' });

    await deliver(job(statusSetTo('approved'), 'reviews'));
    await deliver(job(statusSetTo('approved'), 'reviews'));

    expect(posts().filter((post) => post.body.thread_ts)).toHaveLength(3);
    expect(updates()).toHaveLength(2);
    expect(logs.filter((line) => line.msg.includes('could not update the thread parent'))).toHaveLength(1);
  });
});

describe('an event stored by a version whose schemas it no longer meets', () => {
  it('is delivered as an unknown event, with the default template, instead of failing', async () => {
    const deliver = delivererFor();
    const claimed = job(statusSetTo('approved'), 'governance', { ...reviews, thread: 'none' });
    const { reviewId: _, ...withoutReview } = (claimed.event.payload as { data: Record<string, unknown> })
      .data;
    claimed.event.payload = { type: claimed.event.rawType, data: withoutReview };

    await deliver(claimed);

    expect(posts()).toHaveLength(1);
    // default.hbs: the unknown event's icon and a title made from the type as sent.
    expect(posts()[0]?.body.text).toMatch(/^🔔 Use case review status updated on /);
    expect(textOf(posts()[0])).toContain('Approved');
  });
});

describe('direct messages', () => {
  const dm = (userId: string, reason: 'tagged' | 'assigned'): JobSpec => ({
    kind: 'dm',
    userId,
    reason,
    platform: 'slack',
  });

  it('writes to a tagged user in their conversation with the bot: the comment, who, where, a link', async () => {
    credo.users.set(JOHN, { email: 'john.doe@acme.com', given_name: 'John', family_name: 'Doe' });
    credo.useCases.set('QHG9s995aVztB6Xc3caXyW', { name: 'Credit scoring' });
    slack.users.set('john.doe@acme.com', 'U0JOHN');
    const comment = fixtureInput('use_case_review_comment', (data) => {
      data.user = { givenName: 'Steven', email: 'steven@credo.ai', userId: 'FSZqZLT8eFUUp53uTM6Ref' };
    });

    await delivererFor()(job(comment, `dm:slack:${JOHN}`, dm(JOHN, 'tagged')));

    expect(slack.callsTo('conversations.open').map((call) => call.body.users)).toEqual(['U0JOHN']);
    expect(posts()).toHaveLength(1);
    const message = textOf(posts()[0]);
    expect(posts()[0]?.body.channel).toBe('D0JOHN');
    expect(message).toContain('*Steven* mentioned you');
    expect(message).toContain('Credit scoring');
    expect(message).toContain('Hello <@U0JOHN>');
    expect(message).toContain('/use-cases/QHG9s995aVztB6Xc3caXyW/reviews/yzbEcKRh3M6xNXYmuTownS');
  });

  it('looks up its reader and the actor only, not everyone the comment mentions (issue 14)', async () => {
    const ACTOR = 'FSZqZLT8eFUUp53uTM6Ref';
    const others = ['Other1', 'Other2', 'Other3'];
    credo.users.set(ACTOR, { email: 'ada@acme.com', given_name: 'Ada' });
    slack.users.set('ada@acme.com', 'U0ADA');
    for (const id of [JOHN, ...others]) {
      credo.users.set(id, { email: `${id.toLowerCase()}@acme.com`, given_name: id });
      slack.users.set(`${id.toLowerCase()}@acme.com`, `U0${id.toUpperCase()}`);
    }
    const comment = fixtureInput('use_case_review_comment', (data) => {
      // The event names the actor by id only: the message needs their name from Credo AI.
      data.user = { userId: ACTOR };
      data.comment = [JOHN, ...others].map((id) => `@[${id}](users:${id})`).join(' ');
    });

    await delivererFor()(job(comment, `dm:slack:${JOHN}`, dm(JOHN, 'tagged')));

    expect(textOf(posts()[0])).toContain('*Ada* mentioned you');
    const asked = credo.requests.filter((request) => request.path.includes('/users/'));
    expect(asked.map((request) => request.path.split('/').pop()).sort()).toEqual([ACTOR, JOHN].sort());
    expect(slack.callsTo('users.lookupByEmail').map((call) => call.body.email)).not.toContain(
      'other1@acme.com',
    );
  });

  it('tells an assignee what happened to their task', async () => {
    credo.users.set(JOHN, { email: 'john.doe@acme.com', given_name: 'John' });
    slack.users.set('john.doe@acme.com', 'U0JOHN');
    const task = fixtureInput('use_case_review_task_status_updated', (data) => {
      data.assignedUserId = JOHN;
    });

    await delivererFor()(job(task, `dm:slack:${JOHN}`, dm(JOHN, 'assigned')));

    expect(textOf(posts()[0])).toContain('your review task on');
    expect(textOf(posts()[0])).toContain('Done');
  });

  it('completes without a message, and says why, for a person it cannot find', async () => {
    await delivererFor()(
      job(fixtureInput('use_case_review_comment'), `dm:slack:${JOHN}`, dm(JOHN, 'tagged')),
    );

    expect(posts()).toEqual([]);
    expect(logs).toContainEqual(
      expect.objectContaining({
        level: 30,
        msg: 'direct message not sent: no slack user found for this person',
      }),
    );
  });

  it('does not write to an assignee who turns out to be the actor, known by email only', async () => {
    credo.users.set(JOHN, { email: 'john.doe@acme.com', given_name: 'John' });
    slack.users.set('john.doe@acme.com', 'U0JOHN');
    const ownChange = fixtureInput('use_case_review_task_status_updated', (data) => {
      data.assignedUserId = JOHN;
      data.user = { email: 'John.Doe@acme.com' };
    });

    await delivererFor()(job(ownChange, `dm:slack:${JOHN}`, dm(JOHN, 'assigned')));

    expect(posts()).toEqual([]);
  });

  it('sends nothing when such messages were turned off after the job was planned', async () => {
    credo.users.set(JOHN, { email: 'john.doe@acme.com' });
    slack.users.set('john.doe@acme.com', 'U0JOHN');
    const config = configWith({ mentions: { directMessages: { taggedUsers: false } } });

    await delivererFor(config)(
      job(fixtureInput('use_case_review_comment'), `dm:slack:${JOHN}`, dm(JOHN, 'tagged')),
    );

    expect(posts()).toEqual([]);
  });
});
