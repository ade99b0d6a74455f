import type { Config } from '../config/schema.js';
import type { CredoEvent } from '../events/credo-event.js';
import { taskPeopleOf } from '../events/event-fields.js';
import type { Platform } from '../messages.js';
import { actorOf, taggedPeople } from '../people/people-in-event.js';
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

/** The DM jobs for one event on every platform credo-notify can reach people on. */
export function planDirectMessages(
  event: CredoEvent,
  settings: DirectMessageSettings,
  platforms: readonly Platform[],
): NewJob[] {
  const recipients = new Map<string, DirectMessageReason>();
  const actorId = actorOf(event).id;
  const owe = (userId: string | undefined, reason: DirectMessageReason) => {
    if (userId === undefined || userId === actorId || recipients.has(userId)) return;
    if (isDirectMessageOn(settings, reason)) recipients.set(userId, reason);
  };
  for (const tagged of taggedPeople(event)) owe(tagged.id, 'tagged');
  owe(taskPeopleOf(event).assigneeId, 'assigned');
  return platforms.flatMap((platform) =>
    [...recipients].map(([userId, reason]) => ({
      destination: directMessageDestination(platform, userId),
      spec: { kind: 'dm', userId, reason, platform },
    })),
  );
}
