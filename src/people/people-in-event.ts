import type { CredoEvent } from '../events/credo-event.js';
import { commentOf, actorOf as eventActor, taskPeopleOf } from '../events/event-fields.js';
import { splitMentions } from '../render/mentions.js';
import { personFromEventUser } from '../render/person-view.js';
import type { SeenPerson } from './identity-resolver.js';

/**
 * Who an event names, read from the event without any lookup: the actor (`user`), a task's
 * assignee and assigner, and the people tagged in a comment.
 */

/** Every Credo AI user id the event names, with what the event itself says of each. */
export function peopleInEvent(event: CredoEvent): Map<string, SeenPerson> {
  const people = new Map<string, SeenPerson>();
  const add = (id: string | undefined, seen: SeenPerson = {}) => {
    if (id === undefined) return;
    const known = people.get(id);
    people.set(id, { name: known?.name ?? seen.name, email: known?.email ?? seen.email });
  };
  const actor = actorOf(event);
  add(actor.id, actor);
  const { assigneeId, assignerId } = taskPeopleOf(event);
  add(assigneeId);
  add(assignerId);
  for (const tagged of taggedPeople(event)) add(tagged.id, tagged);
  return people;
}

/** The person who acted (`data.user`), as far as the event says. */
export function actorOf(event: CredoEvent): SeenPerson & { id?: string } {
  const actor = personFromEventUser(eventActor(event), {});
  return { id: actor?.id ?? undefined, name: actor?.name ?? undefined, email: actor?.email ?? undefined };
}

/** The people tagged in a comment: its `taggedUsers`, and anyone its text mentions. */
export function taggedPeople(event: CredoEvent): Array<SeenPerson & { id: string }> {
  const comment = commentOf(event);
  const fromText = (comment.text === undefined ? [] : splitMentions(comment.text, {})).flatMap((part) =>
    'person' in part && part.person.id !== null
      ? [{ id: part.person.id, name: part.person.name ?? undefined }]
      : [],
  );
  return [...comment.tagged, ...fromText];
}
