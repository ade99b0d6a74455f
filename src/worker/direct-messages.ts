import type { Config } from '../config/schema.js';
import type { CredoEvent } from '../events/credo-event.js';
import { taskPeopleOf } from '../events/event-fields.js';
import type { Platform } from '../messages.js';
import { actorOf, mentionsPastCap, peopleInEvent } from '../render/people-in-event.js';
import type { DirectMessageJobSpec, NewJob } from '../store/store.js';

/**
 * Direct messages owed for an event, planned when it is received (pure: no lookup, so they
 * commit with the event). Tagged users are told of the comment, a task's assignee of the change,
 * unless they made it; nobody is told of their own action, and nobody twice for one event.
 * Whether a person can be reached is found out at delivery.
 */

export type DirectMessageReason = DirectMessageJobSpec['reason'];
export type DirectMessageSettings = Config['mentions']['directMessages'];

const PREFIX = 'dm:';

/**
 * `dm:<platform>:<Credo AI user id>`: a destination per person, so the store sends them their
 * messages one at a time and in order, like to any channel.
 */
export function directMessageDestination(platform: Platform, userId: string): string {
  return `${PREFIX}${platform}:${userId}`;
}

export function isDirectMessageOn(settings: DirectMessageSettings, reason: DirectMessageReason): boolean {
  return reason === 'tagged' ? settings.taggedUsers : settings.taskAssignees;
}

/**
 * What an event owes in direct messages: the jobs, and how many of its mentions name people
 * past `mentions.maxPerEvent`, who are owed none.
 */
export interface DirectMessagePlan {
  jobs: NewJob[];
  mentionsPastCap: number;
}

/** The DM jobs for one event on every platform credo-notify can reach people on. */
export function planDirectMessages(
  event: CredoEvent,
  settings: Pick<Config['mentions'], 'directMessages' | 'maxPerEvent'>,
  platforms: readonly Platform[],
): DirectMessagePlan {
  const named = peopleInEvent(event, settings.maxPerEvent);
  const recipients = new Map<string, DirectMessageReason>();
  const actorId = actorOf(event).id;
  const owe = (userId: string | undefined, reason: DirectMessageReason) => {
    if (userId === undefined || userId === actorId || recipients.has(userId)) return;
    if (!named.people.has(userId)) return;
    if (isDirectMessageOn(settings.directMessages, reason)) recipients.set(userId, reason);
  };
  for (const userId of named.tagged) owe(userId, 'tagged');
  owe(taskPeopleOf(event).assigneeId, 'assigned');
  const jobs = platforms.flatMap((platform) =>
    [...recipients].map(
      ([userId, reason]): NewJob => ({
        destination: directMessageDestination(platform, userId),
        spec: { kind: 'dm', userId, reason, platform },
      }),
    ),
  );
  return { jobs, mentionsPastCap: mentionsPastCap(event, named.people) };
}
