import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { rendererFor } from '../../src/render/create-renderer.js';
import { allTexts } from '../render/block-kit.js';
import {
  COMMENT_USE_CASE_ID,
  fixtureInput,
  JOHN_ID,
  type PeopleWorld,
  STEVEN_ID,
  startPeopleWorld,
} from './people-world.js';

const HOUR_MS = 3_600_000;

let world: PeopleWorld;
beforeEach(async () => {
  world = await startPeopleWorld();
});
afterEach(() => world.close());

const lookups = () => world.slack.callsTo('users.lookupByEmail').map((call) => call.body.email);
const comment = () => fixtureInput('use_case_review_comment');

/** What a Slack reader sees of the comment fixture once enriched with `people`. */
async function shownComment(people = world.people()): Promise<string> {
  const input = await people.enricher.enrich(comment(), 'slack');
  const message = rendererFor(world.configOf()).render('slack', 'use_case_review_comment', input);
  return allTexts(message).join('\n');
}

describe('who a tagged Credo AI user is on Slack', () => {
  it('takes the override for their Credo AI user id first, with no lookup at all', async () => {
    const people = world.people({ mentions: { users: { [JOHN_ID]: { slack: 'U0OVERRIDE' } } } });

    expect(await shownComment(people)).toContain('Hello <@U0OVERRIDE>');
    expect(lookups()).toEqual([]);
    // The event gives the name and the config the Slack id: nothing to ask Credo AI.
    expect(world.apiCalls('users')).toEqual([]);
  });

  it('takes the override for their email, whatever its case, once Credo AI gives the email', async () => {
    world.credo.users.set(JOHN_ID, { email: 'John.Doe@acme.com', given_name: 'John', family_name: 'Doe' });
    const people = world.people({ mentions: { users: { 'john.doe@ACME.com': { slack: 'U0BYMAIL' } } } });

    expect(await shownComment(people)).toContain('Hello <@U0BYMAIL>');
    expect(lookups()).toEqual([]);
  });

  it('looks up the email the event carries, without asking Credo AI what the event says', async () => {
    world.slack.users.set('cemenenkoff@credo.ai', 'U0NICK');
    const delivered = fixtureInput('use_case_review_status_updated.delivered');
    const input = await world.people().enricher.enrich(delivered, 'slack');

    expect(input.people?.YNYykoSUOcXtTtHCrsmbyE).toMatchObject({
      name: 'Nick Cemenenkoff',
      email: 'cemenenkoff@credo.ai',
      slackId: 'U0NICK',
    });
    expect(lookups()).toEqual(['cemenenkoff@credo.ai']);
    expect(world.apiCalls('users')).toEqual([]);
  });

  it('asks Credo AI only for the name when the event gives the email alone', async () => {
    world.credo.users.set(STEVEN_ID, { given_name: 'Steven', email: 'other@credo.ai' });
    world.slack.users.set('steven@credo.ai', 'U0STEVEN');
    const input = await world
      .people()
      .enricher.enrich(fixtureInput('use_case_review_status_updated'), 'slack');

    expect(input.people?.[STEVEN_ID]).toEqual({
      name: 'Steven',
      email: 'steven@credo.ai',
      slackId: 'U0STEVEN',
    });
    expect(lookups()).toEqual(['steven@credo.ai']);
  });

  it('looks up the email Credo AI gives for a user the event names by id only', async () => {
    world.credo.users.set(JOHN_ID, { email: 'john.doe@acme.com', given_name: 'John', family_name: 'Doe' });
    world.slack.users.set('john.doe@acme.com', 'U0JOHN');

    expect(await shownComment()).toContain('Hello <@U0JOHN>');
    expect(world.apiCalls('users')).toEqual([`/api/v2/acme/users/${JOHN_ID}`]);
    expect(lookups()).toEqual(['john.doe@acme.com']);
  });

  it('shows the name in bold, never the markup, when nobody is found', async () => {
    const shown = await shownComment();

    expect(shown).toContain('Hello *John Doe*');
    expect(shown).not.toContain('users:');
    expect(world.apiCalls('users')).toHaveLength(1);
  });

  it('shows the bold name when Slack has nobody with that email', async () => {
    world.credo.users.set(JOHN_ID, { email: 'john.doe@acme.com', given_name: 'John' });

    expect(await shownComment()).toContain('Hello *John Doe*');
    expect(lookups()).toEqual(['john.doe@acme.com']);
  });

  it('names an assignee known by id only with the name Credo AI gives', async () => {
    world.credo.users.set('QvA3assignee000000000', { given_name: 'Ada', family_name: 'Lovelace' });
    const input = await world.people().enricher.enrich(
      fixtureInput('use_case_review_task_status_updated', (data) => {
        data.assignedUserId = 'QvA3assignee000000000';
      }),
      'slack',
    );
    const message = rendererFor(world.configOf()).render(
      'slack',
      'use_case_review_task_status_updated',
      input,
    );

    expect(allTexts(message).join('\n')).toContain('*Assigned to*\n*Ada Lovelace*');
  });

  it('works from the event alone without credo.api, and asks nothing of anyone it cannot', async () => {
    const config = world.configOf();
    const people = world.people({ credo: { ...config.credo, api: undefined } });

    expect(await shownComment(people)).toContain('Hello *John Doe*');
    expect(world.credo.requests).toEqual([]);
  });
});

describe('use case names', () => {
  it('shows the name Credo AI gives instead of the id', async () => {
    world.credo.useCases.set(COMMENT_USE_CASE_ID, { name: 'Credit scoring' });

    const shown = await shownComment();

    expect(shown).toContain('Credit scoring');
    expect(shown).not.toContain(`|${COMMENT_USE_CASE_ID}>`);
  });

  it('asks again after a rename instead of showing the remembered name', async () => {
    world.credo.useCases.set('ZiSPid3wLeXWTe4VTRjbq9', { name: 'Old name' });
    const people = world.people();
    await people.enricher.enrich(fixtureInput('use_case_review_status_updated'), 'slack');
    world.credo.useCases.set('ZiSPid3wLeXWTe4VTRjbq9', { name: 'New name' });

    const renamed = fixtureInput('use_case_review_status_updated');
    renamed.event.type = 'use_case_name_updated';
    const afterRename = await people.enricher.enrich(renamed, 'slack');
    const later = await people.enricher.enrich(fixtureInput('use_case_review_status_updated'), 'slack');

    expect(afterRename.useCaseName).toBe('New name');
    expect(later.useCaseName).toBe('New name');
  });
});

describe('remembering who people are', () => {
  it('asks Credo AI and Slack once per person per TTL, found or not', async () => {
    world.credo.users.set(JOHN_ID, { email: 'john.doe@acme.com', given_name: 'John' });
    world.credo.useCases.set(COMMENT_USE_CASE_ID, { name: 'Credit scoring' });
    const people = world.people({ mentions: { cacheTtlHours: 2 } });
    const enrich = () => people.enricher.enrich(comment(), 'slack');

    // At once, as jobs for several destinations of one event would.
    await Promise.all([enrich(), enrich(), enrich()]);
    await world.clock.advance(2 * HOUR_MS - 1);
    await enrich();
    expect(world.apiCalls('users')).toHaveLength(1);
    expect(world.apiCalls('use_cases')).toHaveLength(1);
    // Not found in Slack, and remembered so.
    expect(lookups()).toEqual(['john.doe@acme.com']);

    world.slack.users.set('john.doe@acme.com', 'U0JOHN');
    await world.clock.advance(2);
    const later = await enrich();
    expect(world.apiCalls('users')).toHaveLength(2);
    expect(lookups()).toHaveLength(2);
    expect(later.people?.[JOHN_ID]?.slackId).toBe('U0JOHN');
  });

  it('remembers in the store, so another instance (or a restart) asks no one again', async () => {
    world.credo.users.set(JOHN_ID, { email: 'john.doe@acme.com', given_name: 'John' });
    world.slack.users.set('john.doe@acme.com', 'U0JOHN');
    await world.people().enricher.enrich(comment(), 'slack');

    const again = await world.people().enricher.enrich(comment(), 'slack');

    expect(again.people?.[JOHN_ID]?.slackId).toBe('U0JOHN');
    expect(world.apiCalls('users')).toHaveLength(1);
    expect(lookups()).toHaveLength(1);
  });

  it('never remembers a failure as "nobody": the next try after the pause finds them', async () => {
    world.credo.users.set(JOHN_ID, { email: 'john.doe@acme.com', given_name: 'John' });
    world.slack.users.set('john.doe@acme.com', 'U0JOHN');
    world.slack.answerNext('users.lookupByEmail', { error: 'missing_scope' });
    const people = world.people();

    const first = await people.enricher.enrich(comment(), 'slack');
    await world.clock.advance(61_000);
    const second = await people.enricher.enrich(comment(), 'slack');

    expect(first.people?.[JOHN_ID]?.slackId).toBeUndefined();
    expect(second.people?.[JOHN_ID]?.slackId).toBe('U0JOHN');
    const warnings = world.logs.filter((line) => line.level === 40);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ service: 'the slack user directory' });
    expect(String(warnings[0]?.error)).toContain('missing_scope');
  });
});

describe('the Credo AI API down', () => {
  it.each(['unavailable', 'hang-up'] as const)(
    'renders with what the events carry and logs it once, not per event (%s)',
    async (how) => {
      world.credo.users.set(JOHN_ID, { email: 'john.doe@acme.com', given_name: 'John' });
      world.slack.users.set('john.doe@acme.com', 'U0JOHN');
      world.slack.users.set('steven@credo.ai', 'U0STEVEN');
      world.credo.setDown(true, how);
      const people = world.people();

      const inputs = [];
      for (let i = 0; i < 3; i++) inputs.push(await people.enricher.enrich(comment(), 'slack'));
      const status = await people.enricher.enrich(fixtureInput('use_case_review_status_updated'), 'slack');

      const renderer = rendererFor(world.configOf());
      for (const input of inputs) {
        const shown = allTexts(renderer.render('slack', 'use_case_review_comment', input)).join('\n');
        expect(shown).toContain('Hello *John Doe*');
        expect(shown).toContain(COMMENT_USE_CASE_ID);
      }
      // What the event carries still resolves: the actor's email is in the event.
      expect(status.people?.[STEVEN_ID]?.slackId).toBe('U0STEVEN');
      const credoWarnings = world.logs.filter((line) => line.service === 'the Credo AI API');
      expect(credoWarnings).toHaveLength(1);
      expect(credoWarnings[0]?.level).toBe(40);
      // During the pause nobody waits on the API: one exchange attempt, then silence.
      expect(world.credo.requests).toHaveLength(1);
    },
  );

  it('uses the API again once it answers, and says so', async () => {
    world.credo.users.set(JOHN_ID, { email: 'john.doe@acme.com', given_name: 'John' });
    world.slack.users.set('john.doe@acme.com', 'U0JOHN');
    world.credo.setDown(true);
    const people = world.people();
    await people.enricher.enrich(comment(), 'slack');

    world.credo.setDown(false);
    await world.clock.advance(61_000);
    const input = await people.enricher.enrich(comment(), 'slack');

    expect(input.people?.[JOHN_ID]?.slackId).toBe('U0JOHN');
    expect(world.logs.map((line) => line.msg)).toContain('the Credo AI API answers again');
  });
});
