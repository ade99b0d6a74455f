import { describe, expect, it } from 'vitest';
import { EVENT_TYPES } from '../../src/events/event-types.js';
import type { SlackMessage } from '../../src/messages.js';
import type { RenderInput } from '../../src/render/renderer.js';
import { allTexts, blockKitProblems, slackMarkup } from './block-kit.js';
import { loadSamples, sample } from './render-samples.js';
import { APP_URL, testRenderer } from './test-renderer.js';

const renderer = testRenderer();

function render(
  input: RenderInput,
  template = renderer.templateFor('slack', input.event.type),
): SlackMessage {
  return renderer.render('slack', template, input);
}

/** Everything a reader sees, fallback text included. */
function visible(message: SlackMessage): string {
  return allTexts(message).join('\n');
}

describe('built-in Slack templates', () => {
  it('has a template for each of the 15 event types, a default, direct messages and thread parents', () => {
    expect(renderer.names('slack')).toEqual(
      [...EVENT_TYPES, 'default', 'digest', 'dm-assigned', 'dm-digest', 'dm-tagged', 'thread-parent'].sort(),
    );
    expect(renderer.templateFor('slack', 'unknown')).toBe('default');
  });

  it('has a fixture event of every type, and one of a type this version does not know', () => {
    const types = new Set(loadSamples().map((s) => s.input.event.type));
    expect([...types].sort()).toEqual([...EVENT_TYPES, 'unknown'].sort());
  });

  it('renders every fixture event through every template into a message Slack accepts', () => {
    for (const template of renderer.names('slack')) {
      for (const { name, input } of loadSamples()) {
        const message = renderer.render('slack', template, input);
        expect(blockKitProblems(message), `${template} × ${name}`).toEqual([]);
        for (const markup of slackMarkup(message))
          expect(markup, `${template} × ${name}`).toMatch(/^<https:\/\/app\.credo\.ai\/acme[/|]/);
      }
    }
  });
});

describe('what a Slack message tells its reader', () => {
  it('says whose review moved to which status, when, with a link to the review', () => {
    const message = render(sample('use_case_review_status_updated.delivered'));
    expect(message.text).toBe('🔄 Review of SefqMYk3TSqe6rK7Lg7YZ: In progress');
    expect(visible(message)).toContain('*Nick Cemenenkoff* set the review of');
    expect(visible(message)).toContain('*🔄 In progress*');
    expect(visible(message)).toContain('7 Aug 2025, 05:56 UTC');
    expect(slackMarkup(message)).toContain(
      `<${APP_URL}/use-cases/SefqMYk3TSqe6rK7Lg7YZ/reviews/L7BNwLapiuMQVNewuS49N|Open the review in Credo AI>`,
    );
  });

  it('names the use case when its name is known, and links it', () => {
    const input = { ...sample('use_case_review_status_updated'), useCaseName: 'Résumé screening' };
    const message = render(input);
    expect(message.text).toContain('Review of Résumé screening');
    expect(slackMarkup(message)).toContain(`<${APP_URL}/use-cases/ZiSPid3wLeXWTe4VTRjbq9|Résumé screening>`);
  });

  it('shows each status with the same emoji wherever it appears', () => {
    const review = sample('use_case_review_status_updated');
    review.event.data.status = 'approved';
    expect(visible(render(review))).toContain('*✅ Approved*');
    // The task fixture is done with the sub-status approve.
    expect(visible(render(sample('use_case_review_task_status_updated')))).toContain(
      '*☑️ Done* (✅ Approved)',
    );
    const unlisted = sample('use_case_review_status_updated');
    unlisted.event.data.status = 'waiting_for_legal';
    expect(visible(render(unlisted))).toContain('*🔹 Waiting for legal*');
  });

  it('shows a comment with its mentions as Slack mentions when the Slack id is known', () => {
    const input = {
      ...sample('use_case_review_comment'),
      people: { MMC8qELwNoq9V27Y2cvqHf: { slackId: 'U02JOHNDOE' } },
    };
    const message = render(input);
    expect(visible(message)).toContain('Hello <@U02JOHNDOE>');
    expect(visible(message)).toContain('Tagged: <@U02JOHNDOE>');
    expect(visible(message)).not.toContain('users:');
  });

  it('shows a mention as the bold name when the Slack id is unknown', () => {
    const message = render(sample('use_case_review_comment'));
    expect(visible(message)).toContain('Hello *John Doe*');
    expect(visible(message)).toContain('Tagged: *John Doe*');
    expect(visible(message)).not.toMatch(/@\[|users:|<@/);
  });

  it('shows who a task is assigned to and by whom, by name when the event knows it', () => {
    const input = {
      ...sample('use_case_review_task_status_updated'),
      people: { FSZqZLT8eFUUp53uTM6Ref: { slackId: 'U0STEVEN' } },
    };
    const message = render(input);
    expect(message.text).toBe('☑️ Review task on ZiSPid3wLeXWTe4VTRjbq9: Done (Approved)');
    expect(visible(message)).toContain('*Assigned to*\n<@U0STEVEN>');
    expect(visible(message)).toContain('*Assigned by*\nsteven@credo.ai');
  });

  it('says a task was deleted and whose it was', () => {
    const message = render(sample('use_case_review_task_deleted'));
    expect(visible(message)).toContain('*steven@credo.ai* deleted a review task of');
    expect(visible(message)).toContain('*Assigned to*\n*steven@credo.ai*');
  });

  it('shows the custom field by name with its new value', () => {
    const message = render(sample('use_case_custom_field_updated'));
    expect(message.text).toBe('🏷️ Target Review Date: 05/23/2024 on QHG9s995aVztB6Xc3caXyW');
    expect(visible(message)).toContain('*Steven* updated a custom field of');
    expect(visible(message)).toContain('*Target Review Date*\n05/23/2024');
  });

  it.each([
    ['use_case_is_vendor_updated', '*Vendor-provided*', '*Is vendor*\nYes'],
    ['use_case_industries_updated', '*Industries*', '*Industries*\nFinancial services, Healthcare'],
    ['use_case_risk_category_level_updated', '*Risk category level*', '*Risk category level*\nHigh'],
    ['use_case_ai_type_updated', '*AI type*', '*Ai type*\nGenerative ai'],
    ['use_case_description_updated', '*Description*', 'recruiters.\nHuman review'],
  ])('%s: says which field of the use case changed and to what', (name, field, value) => {
    const message = render(sample(name));
    expect(visible(message)).toContain(`*María López* changed the ${field} of`);
    expect(visible(message)).toContain(value);
  });

  it('says so when a field change carries no value', () => {
    const input = sample('use_case_name_updated');
    delete input.event.data.name;
    expect(visible(render(input))).toContain('(the event does not say to what)');
  });

  it('shows an event of an unknown type by its own name, with everything it carries', () => {
    const message = render(sample('use_case_owner_updated'));
    expect(message.blocks[0]).toMatchObject({ type: 'header', text: { text: '🔔 Use case owner updated' } });
    expect(visible(message)).toContain('*Owner id*\nHq3Lx7PzR2bWc9TmVf8KdN');
    expect(visible(message)).toContain('*Previous owner id*\n(empty)');
  });

  it('tells the time in the configured zone, from the envelope, else from when it arrived', () => {
    const paris = testRenderer({ timezone: 'Europe/Paris' });
    const withTime = paris.render('slack', 'use_case_name_updated', sample('use_case_name_updated'));
    expect(visible(withTime)).toContain('27 Nov 2026, 16:04 GMT+1');
    const withoutTime = renderer.render(
      'slack',
      'use_case_review_comment',
      sample('use_case_review_comment'),
    );
    expect(visible(withoutTime)).toContain('27 Nov 2026, 15:04 UTC');
    const newYork = testRenderer({ timezone: 'America/New_York' });
    expect(visible(newYork.render('slack', 'default', sample('use_case_review_comment')))).toContain(
      '27 Nov 2026, 10:04 EST',
    );
  });

  it('refuses a time zone it does not know, at start', () => {
    expect(() => testRenderer({ timezone: 'Mars/Olympus' })).toThrow(/time zone/i);
  });
});
