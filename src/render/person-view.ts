import { nonEmptyText } from '../events/event-fields.js';
import type { CredoUser } from '../events/schemas.js';
import type { Person } from './renderer.js';

/** A person as templates see them. Every key is present (null when unknown): templates run strict. */
export interface PersonView {
  /** Credo AI user id. */
  id: string | null;
  name: string | null;
  email: string | null;
  slackId: string | null;
  teamsId: string | null;
  /** What to call them: the name, else the email, else "user <id>". */
  label: string;
}

export type People = Record<string, Person>;

/**
 * The person `people` holds under `id`, own keys only: ids come from comment text, and
 * `users:constructor` must not find Object.prototype's constructor (and be shown as "Object").
 */
export function personIn(people: People | undefined, id: string): Person | undefined {
  return people !== undefined && Object.hasOwn(people, id) ? people[id] : undefined;
}

/** Someone named by id only (`assignedUserId`, a tagged user), with what `people` knows. */
export function personById(id: string, people: People, nameInEvent?: string): PersonView {
  return personView(id, { name: nameInEvent }, personIn(people, id));
}

/** The `data.user` object of an event (often partial), merged with what `people` knows. */
export function personFromEventUser(user: CredoUser | undefined, people: People): PersonView | null {
  if (user === undefined) return null;
  const id = text(user.userId);
  const fullName = [text(user.givenName), text(user.familyName)].filter(Boolean).join(' ');
  const seen = {
    name: fullName || text(user.nickname) || undefined,
    email: text(user.email) ?? undefined,
  };
  if (id === null && !seen.name && !seen.email) return null;
  return personView(id, seen, id === null ? undefined : personIn(people, id));
}

/**
 * `people` plus what the event itself says of its actor, so an assignee who is also the actor
 * (a common case) is shown by name rather than by id.
 */
export function withEventActor(people: People, actor: PersonView | null): People {
  if (actor?.id == null) return people;
  const known = personIn(people, actor.id);
  return {
    ...people,
    [actor.id]: {
      ...known,
      name: known?.name ?? actor.name ?? undefined,
      email: known?.email ?? actor.email ?? undefined,
    },
  };
}

/** What to call someone the event names by id (and maybe a name), knowing nothing more of them. */
export function labelById(id: string, nameInEvent: string | undefined): string {
  return text(nameInEvent) ?? `user ${id}`;
}

function personView(id: string | null, seen: Person, known: Person | undefined): PersonView {
  const name = text(seen.name) ?? text(known?.name);
  const email = text(seen.email) ?? text(known?.email);
  return {
    id,
    name,
    email,
    slackId: text(known?.slackId),
    teamsId: text(known?.teamsId),
    label: name ?? email ?? (id === null ? 'Someone' : labelById(id, undefined)),
  };
}

/** Every key of a view is present: null where the text is missing. */
function text(value: unknown): string | null {
  return nonEmptyText(value) ?? null;
}
