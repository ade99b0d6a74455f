import type { CredoEvent } from '../events/credo-event.js';
import { commentOf, actorOf as eventActor, nonEmptyText, taskPeopleOf } from '../events/event-fields.js';
import { countMentions, mentionsIn } from './mentions.js';
import { personFromEventUser } from './person-view.js';

/**
 * Who an event names, read from the event without any lookup: the actor (`user`), a task's
 * assignee and assigner, and the people tagged in a comment, in that order.
 *
 * One event names at most `mentions.maxPerEvent` people. Any Credo AI user can write a comment,
 * and each `@[name](users:ID)` in its text costs lookups and a direct message per platform: a
 * comment holding 20,000 of them made 40,004 jobs and stopped the server (issue 14). The people
 * past the cap are not looked up, messaged or pinged.
 */

/** What an event itself says of a person. */
export interface SeenPerson {
  name?: string;
  email?: string;
}

export interface PeopleNamed {
  /** The first `maxPeople` people the event names, by Credo AI user id, with what it says of each. */
  people: Map<string, SeenPerson>;
  /** Those of `people` the comment tags (before the cap): the ones a `tagged` direct message is owed to. */
  tagged: ReadonlySet<string>;
}

/** Reads no further than it takes to find `maxPeople`: every job of an event reads it again. */
export function peopleInEvent(event: CredoEvent, maxPeople: number): PeopleNamed {
  const people = new Map<string, SeenPerson>();
  const tagged = new Set<string>();
  const add = (id: string | undefined, seen: SeenPerson = {}): boolean => {
    if (id === undefined) return false;
    const known = people.get(id);
    if (known === undefined && people.size >= maxPeople) return false;
    people.set(id, { name: known?.name ?? seen.name, email: known?.email ?? seen.email });
    return true;
  };
  const actor = actorOf(event);
  add(actor.id, actor);
  const { assigneeId, assignerId } = taskPeopleOf(event);
  add(assigneeId);
  add(assignerId);
  for (const person of taggedPeople(event)) {
    if (people.size >= maxPeople) break;
    if (add(person.id, person)) tagged.add(person.id);
  }
  return { people, tagged };
}

/**
 * How many of the comment's mentions (tags and `@[name](users:ID)` alike) name someone past the
 * cap, that is not in `people`: for the one log line an event gets when it goes over.
 */
export function mentionsPastCap(event: CredoEvent, people: ReadonlyMap<string, unknown>): number {
  const pastCap = (id: string) => !people.has(id);
  const comment = commentOf(event);
  const tagged = comment.tagged.filter((person) => pastCap(person.id)).length;
  return tagged + (comment.text === undefined ? 0 : countMentions(comment.text, pastCap));
}

/** The person who acted (`data.user`), as far as the event says. */
export function actorOf(event: CredoEvent): SeenPerson & { id?: string } {
  const actor = personFromEventUser(eventActor(event), {});
  return { id: actor?.id ?? undefined, name: actor?.name ?? undefined, email: actor?.email ?? undefined };
}

/** The people tagged in a comment: its `taggedUsers`, and anyone its text mentions. */
function* taggedPeople(event: CredoEvent): Generator<SeenPerson & { id: string }> {
  const comment = commentOf(event);
  yield* comment.tagged;
  if (comment.text === undefined) return;
  for (const mention of mentionsIn(comment.text)) {
    yield { id: mention.userId, name: nonEmptyText(mention.name) };
  }
}
