import { splitMentions } from '../render/mentions.js';
import { personFromEventUser } from '../render/person-view.js';
import type { SeenPerson } from './identity-resolver.js';

/**
 * Who an event names, read from its `data` without any lookup: the actor (`user`), a task's
 * assignee and assigner, and the people tagged in a comment.
 */

/** Every Credo AI user id the event names, with what the event itself says of each. */
export function peopleInEvent(data: Record<string, unknown>): Map<string, SeenPerson> {
  const people = new Map<string, SeenPerson>();
  const add = (id: string | undefined, seen: SeenPerson = {}) => {
    if (id === undefined) return;
    const known = people.get(id);
    people.set(id, { name: known?.name ?? seen.name, email: known?.email ?? seen.email });
  };
  const actor = actorOf(data);
  add(actor.id, actor);
  add(assigneeIdOf(data));
  add(text(data.assignerId));
  for (const tagged of taggedPeople(data)) add(tagged.id, tagged);
  return people;
}

/** The person who acted (`data.user`), as far as the event says. */
export function actorOf(data: Record<string, unknown>): SeenPerson & { id?: string } {
  const actor = personFromEventUser(data.user, {});
  return { id: actor?.id ?? undefined, name: actor?.name ?? undefined, email: actor?.email ?? undefined };
}

export function assigneeIdOf(data: Record<string, unknown>): string | undefined {
  return text(data.assignedUserId);
}

/** The people tagged in a comment: its `taggedUsers`, and anyone its text mentions. */
export function taggedPeople(data: Record<string, unknown>): Array<SeenPerson & { id: string }> {
  const listed = Array.isArray(data.taggedUsers) ? data.taggedUsers : [];
  const fromList = listed.flatMap((entry: unknown) => {
    const fields = typeof entry === 'object' && entry !== null ? (entry as Record<string, unknown>) : {};
    const id = text(fields.user_id);
    return id === undefined ? [] : [{ id, name: text(fields.user) }];
  });
  const comment = text(data.comment);
  const fromText = (comment === undefined ? [] : splitMentions(comment, {})).flatMap((part) =>
    'person' in part && part.person.id !== null
      ? [{ id: part.person.id, name: part.person.name ?? undefined }]
      : [],
  );
  return [...fromList, ...fromText];
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}
