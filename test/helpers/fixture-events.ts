import { readdirSync, readFileSync } from 'node:fs';

/** The example payloads from Credo AI's public guides, as raw text and parsed. */
export interface FixtureEvent {
  /** File name without `.json`; the event type comes first (`use_case_review_comment.delivered`). */
  name: string;
  /** The event type the file is an example of. */
  eventType: string;
  body: string;
  envelope: { type: string; data: Record<string, unknown>; subject?: string };
}

const fixturesDir = new URL('../../samples/events/', import.meta.url);

export function loadFixtureEvents(): FixtureEvent[] {
  return readdirSync(fixturesDir)
    .filter((file) => file.endsWith('.json'))
    .map((file) => {
      const body = readFileSync(new URL(file, fixturesDir), 'utf8');
      const name = file.replace(/\.json$/, '');
      return { name, eventType: name.split('.')[0] ?? name, body, envelope: JSON.parse(body) };
    });
}

/** The example payload of that name; throws when there is none, so a renamed file fails loudly. */
export function fixtureEvent(name: string): FixtureEvent {
  const found = loadFixtureEvents().find((fixture) => fixture.name === name);
  if (!found) throw new Error(`no fixture event ${name}`);
  return found;
}
