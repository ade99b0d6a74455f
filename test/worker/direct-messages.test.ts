import { describe, expect, it } from 'vitest';
import type { Platform } from '../../src/messages.js';
import { DESTINATION_KINDS } from '../../src/notify/kinds.js';
import { slackChatPlatform } from '../../src/notify/slack/slack-chat-platform.js';
import { directMessageDestination, planDirectMessages } from '../../src/worker/direct-messages.js';
import { pacingOf } from '../../src/worker/pacer.js';
import { loadFixtureEvents } from '../helpers/fixture-events.js';
import { slackBotDepsPerTest } from '../helpers/slack-bot-deps.js';

const JOHN = 'MMC8qELwNoq9V27Y2cvqHf';
const JANE = 'J4neDoeReviewer0000000';
const STEVEN = 'FSZqZLT8eFUUp53uTM6Ref';
const ALL_ON = { taggedUsers: true, taskAssignees: true };
const bot = slackBotDepsPerTest();

function event(name: string, edit: (data: Record<string, unknown>) => void = () => {}) {
  const fixture = loadFixtureEvents().find((candidate) => candidate.name === name);
  if (!fixture) throw new Error(`no fixture ${name}`);
  const data = structuredClone(fixture.envelope.data);
  edit(data);
  return { type: fixture.eventType as 'unknown', data };
}

/** A comment by Steven that tags `tagged` (name, id). */
const commentTagging = (...tagged: Array<[string, string]>) =>
  event('use_case_review_comment', (data) => {
    data.user = { userId: STEVEN, email: 'steven@credo.ai' };
    data.comment = tagged.map(([name, id]) => `@[${name}](users:${id})`).join(' please look');
    data.taggedUsers = tagged.map(([user, user_id]) => ({ user, user_id }));
  });

type DirectMessageSettings = Parameters<typeof planDirectMessages>[1]['directMessages'];

/** The jobs planned with `settings` and the default cap of people per event. */
const plan = (
  planned: Parameters<typeof planDirectMessages>[0],
  settings: DirectMessageSettings,
  platforms: Platform[],
) => planDirectMessages(planned, { directMessages: settings, maxPerEvent: 50 }, platforms).jobs;

const recipients = (jobs: ReturnType<typeof plan>) =>
  jobs.map((job) => [job.destination, job.spec.kind === 'dm' ? job.spec.reason : undefined]);

describe('direct messages owed for an event', () => {
  it('owes each tagged user one, on each platform people can be reached on', () => {
    const jobs = plan(commentTagging(['John Doe', JOHN], ['Jane Roe', JANE]), ALL_ON, ['slack']);

    expect(jobs).toEqual([
      {
        destination: `dm:slack:${JOHN}`,
        spec: { kind: 'dm', userId: JOHN, reason: 'tagged', platform: 'slack' },
      },
      {
        destination: `dm:slack:${JANE}`,
        spec: { kind: 'dm', userId: JANE, reason: 'tagged', platform: 'slack' },
      },
    ]);
    expect(recipients(plan(commentTagging(['John Doe', JOHN]), ALL_ON, ['slack', 'teams']))).toEqual([
      [`dm:slack:${JOHN}`, 'tagged'],
      [`dm:teams:${JOHN}`, 'tagged'],
    ]);
  });

  it('owes the guide example comment its one tagged user, though it names no author', () => {
    expect(recipients(plan(event('use_case_review_comment'), ALL_ON, ['slack']))).toEqual([
      [`dm:slack:${JOHN}`, 'tagged'],
    ]);
  });

  it('never tells the author of their own comment, even when they tag themselves', () => {
    const jobs = plan(commentTagging(['Steven', STEVEN], ['John Doe', JOHN]), ALL_ON, ['slack']);

    expect(recipients(jobs)).toEqual([[`dm:slack:${JOHN}`, 'tagged']]);
  });

  it('sends one message to someone tagged twice, or named in the text only', () => {
    const twice = commentTagging(['John Doe', JOHN], ['John Doe', JOHN]);
    const textOnly = commentTagging(['John Doe', JOHN]);
    textOnly.data.comment = `${textOnly.data.comment} and @[Jane Roe](users:${JANE})`;

    expect(recipients(plan(twice, ALL_ON, ['slack']))).toEqual([[`dm:slack:${JOHN}`, 'tagged']]);
    expect(recipients(plan(textOnly, ALL_ON, ['slack']))).toEqual([
      [`dm:slack:${JOHN}`, 'tagged'],
      [`dm:slack:${JANE}`, 'tagged'],
    ]);
  });

  it('tells the assignee when someone else changes or deletes their task', () => {
    for (const name of ['use_case_review_task_status_updated', 'use_case_review_task_deleted']) {
      const changedByOther = event(name, (data) => {
        data.assignedUserId = JOHN;
      });
      expect(recipients(plan(changedByOther, ALL_ON, ['slack'])), name).toEqual([
        [`dm:slack:${JOHN}`, 'assigned'],
      ]);
    }
  });

  it('does not tell the assignee of a change they made themselves (the guide examples)', () => {
    for (const name of ['use_case_review_task_status_updated', 'use_case_review_task_deleted']) {
      expect(plan(event(name), ALL_ON, ['slack']), name).toEqual([]);
    }
  });

  it('follows mentions.directMessages, each kind on its own', () => {
    const tagged = commentTagging(['John Doe', JOHN]);
    const assigned = event('use_case_review_task_status_updated', (data) => {
      data.assignedUserId = JOHN;
    });
    const taggedOff = { taggedUsers: false, taskAssignees: true };
    const assigneesOff = { taggedUsers: true, taskAssignees: false };

    expect(plan(tagged, taggedOff, ['slack'])).toEqual([]);
    expect(plan(assigned, taggedOff, ['slack'])).toHaveLength(1);
    expect(plan(assigned, assigneesOff, ['slack'])).toEqual([]);
    expect(plan(tagged, assigneesOff, ['slack'])).toHaveLength(1);
  });

  it('owes nothing where credo-notify has no bot to write with, nor for events naming nobody', () => {
    expect(plan(commentTagging(['John Doe', JOHN]), ALL_ON, [])).toEqual([]);
    expect(plan(event('use_case_review_status_updated'), ALL_ON, ['slack'])).toEqual([]);
    expect(plan(event('use_case_custom_field_updated'), ALL_ON, ['slack'])).toEqual([]);
  });

  it('owes none to the people a comment names past mentions.maxPerEvent, and counts their mentions (issue 14)', () => {
    const many = Array.from({ length: 60 }, (_, i): [string, string] => [`Person ${i}`, `P${i}`]);
    const planned = planDirectMessages(commentTagging(...many), { directMessages: ALL_ON, maxPerEvent: 50 }, [
      'slack',
    ]);

    // Steven, who wrote the comment, is the first of the 50 people it names.
    expect(planned.jobs.map((job) => job.destination)).toEqual(
      many.slice(0, 49).map(([, id]) => directMessageDestination('slack', id)),
    );
    // The other 11, each in taggedUsers and in the text.
    expect(planned.mentionsPastCap).toBe(22);
  });

  it('paces messages to a person like a Slack channel, and leaves other destinations alone', () => {
    const destinations = new Map([['governance', { pacing: DESTINATION_KINDS.console.pacing }]]);
    const chats = new Map<Platform, ReturnType<typeof slackChatPlatform>>([
      [
        'slack',
        slackChatPlatform({ ...bot, botToken: 'xoxb-1111-2222-notasecret', apiUrl: 'http://127.0.0.1:9/' }),
      ],
    ]);
    const toJohn = {
      destination: directMessageDestination('slack', JOHN),
      spec: { kind: 'dm', userId: JOHN, reason: 'tagged', platform: 'slack' },
    } as const;
    expect(pacingOf(toJohn, destinations, chats)).toEqual([{ limit: 1, perMs: 1_000 }]);
    expect(
      pacingOf(
        { destination: 'governance', spec: { kind: 'route', route: 'reviews', thread: 'none' } },
        destinations,
        chats,
      ),
    ).toEqual([]);
  });
});
