import { pino } from 'pino';
import { type Config, configSchema } from '../../src/config/schema.js';
import { readEvent } from '../../src/events/credo-event.js';
import { createPeople, type People } from '../../src/people/people.js';
import type { RenderInput } from '../../src/render/renderer.js';
import { openStore } from '../../src/store/open-store.js';
import type { Store } from '../../src/store/store.js';
import { type FakeCredoApi, startFakeCredoApi } from '../helpers/fake-credo-api.js';
import { type FakeSlack, startFakeSlack } from '../helpers/fake-slack.js';
import { loadFixtureEvents } from '../helpers/fixture-events.js';
import { createTestClock, type TestClock } from '../helpers/test-clock.js';

/** Ids from the public guide's example payloads. */
export const JOHN_ID = 'MMC8qELwNoq9V27Y2cvqHf';
export const STEVEN_ID = 'FSZqZLT8eFUUp53uTM6Ref';
export const COMMENT_USE_CASE_ID = 'QHG9s995aVztB6Xc3caXyW';

export interface LogLine {
  level: number;
  msg: string;
  [field: string]: unknown;
}

/**
 * Everything people lookups talk to, real but local: a fake Credo AI API and a fake Slack on
 * 127.0.0.1, an in-memory SQLite store, a clock the test moves, and the log lines written.
 */
export interface PeopleWorld {
  credo: FakeCredoApi;
  slack: FakeSlack;
  store: Store;
  clock: TestClock;
  logs: LogLine[];
  /** People built from a config with the fakes' addresses; `config` keys as a user writes them. */
  people(config?: Record<string, unknown>): People;
  configOf(config?: Record<string, unknown>): Config;
  /** Credo AI API requests for users (`/users/<id>`) or use cases so far. */
  apiCalls(collection: 'users' | 'use_cases'): string[];
  close(): Promise<void>;
}

export async function startPeopleWorld(): Promise<PeopleWorld> {
  const credo = await startFakeCredoApi();
  const slack = await startFakeSlack();
  const store = openStore('sqlite::memory:');
  await store.migrate();
  const clock = createTestClock(Date.parse('2026-03-02T09:00:00Z'));
  const logs: LogLine[] = [];
  const log = pino({ level: 'info' }, { write: (line: string) => void logs.push(JSON.parse(line)) });

  const configOf = (overrides: Record<string, unknown> = {}) =>
    configSchema.parse({
      credo: { auth: { method: 'none' }, api: { url: credo.url, tenant: credo.tenant, token: credo.token } },
      slack: { botToken: 'xoxb-people-test', apiUrl: slack.url },
      destinations: { out: { console: {} } },
      ...overrides,
    });

  return {
    credo,
    slack,
    store,
    clock,
    logs,
    configOf,
    people: (overrides) => createPeople(configOf(overrides), { store, clock, log }),
    apiCalls: (collection) =>
      credo.requests
        .map((request) => request.path)
        .filter((path) => path.startsWith(`/api/v2/${credo.tenant}/${collection}/`)),
    async close() {
      await store.close();
      await credo.close();
      await slack.close();
    },
  };
}

/** A fixture event (samples/events) as the worker reads it, with `data` changed by `edit`. */
export function fixtureInput(
  name: string,
  edit: (data: Record<string, unknown>) => void = () => {},
): RenderInput {
  const fixture = loadFixtureEvents().find((candidate) => candidate.name === name);
  if (!fixture) throw new Error(`no fixture ${name}`);
  const payload = structuredClone(fixture.envelope);
  edit(payload.data);
  const event = readEvent({
    id: `msg_${name}`,
    type: fixture.eventType as RenderInput['event']['type'],
    rawType: payload.type,
    payload,
    receivedAt: Date.parse('2026-03-02T09:00:00Z'),
  });
  return { event };
}
