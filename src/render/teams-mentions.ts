import type { PersonView } from './person-view.js';
import { escapeTeamsMarkdown } from './teams-escape.js';

/**
 * A Teams mention is two halves that must agree: `<at>Name</at>` in a text of the card, and an
 * entity in `msteams.entities` with that exact text and the person's id. The `mention` helper
 * writes the first half and records the second here; the renderer attaches what was recorded.
 */
export interface TeamsMention {
  type: 'mention';
  /** Exactly as it appears in the card's text. */
  text: string;
  mentioned: { id: string; name: string };
}

/**
 * Ids Teams resolves in a card mention: a Teams user id (`29:…`, `8:orgid:…`), an Entra object
 * id (a GUID) or a user principal name (an email). Anything else is shown, never sent as a mention.
 */
const TEAMS_USER_ID = /^(?:29:|8:orgid:)[\w:@.-]+$/i;
const ENTRA_OBJECT_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const USER_PRINCIPAL_NAME = /^[^\s@<>"()[\]]+@[^\s@<>"()[\]]+\.[^\s@<>"()[\]]+$/;

/** The id to mention `person` by: their Teams id (`mentions.users[...].teams` included), else their email. */
export function teamsMentionId(person: PersonView): string | undefined {
  return [person.teamsId, person.email].find(
    (id): id is string =>
      id !== null && [TEAMS_USER_ID, ENTRA_OBJECT_ID, USER_PRINCIPAL_NAME].some((form) => form.test(id)),
  );
}

let recorded: TeamsMention[] | undefined;

/** Runs a render and returns what it produced with the mentions its helpers made, in order, once each. */
export function collectMentions<T>(render: () => T): { result: T; mentions: TeamsMention[] } {
  const previous = recorded;
  const mentions: TeamsMention[] = [];
  recorded = mentions;
  try {
    return { result: render(), mentions };
  } finally {
    recorded = previous;
  }
}

/** `<at>Name</at>` (not yet JSON-escaped) for a person Teams can ping, recorded; else undefined. */
export function mentionMarkup(person: PersonView): string | undefined {
  const id = teamsMentionId(person);
  if (id === undefined) return undefined;
  const text = `<at>${escapeTeamsMarkdown(person.label)}</at>`;
  if (recorded && !recorded.some((mention) => mention.text === text)) {
    recorded.push({ type: 'mention', text, mentioned: { id, name: person.label } });
  }
  return text;
}
