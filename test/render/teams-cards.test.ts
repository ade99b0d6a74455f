import { describe, expect, it } from 'vitest';
import { EVENT_TYPES } from '../../src/events/event-types.js';
import type { TeamsCard } from '../../src/messages.js';
import type { RenderInput } from '../../src/render/renderer.js';
import { TemplateError } from '../../src/render/template-error.js';
import { thrownBy } from '../helpers/thrown-by.js';
import { loadSamples, sample } from './render-samples.js';
import {
  actionUrls,
  cardTexts,
  mentionEntities,
  teamsCardProblems,
  teamsMarkup,
} from './teams-card-problems.js';
import { APP_URL, testRenderer } from './test-renderer.js';
import { userTemplatesDir } from './user-templates.js';

const renderer = testRenderer();

function render(input: RenderInput, template = renderer.templateFor('teams', input.event.type)): TeamsCard {
  return renderer.render('teams', template, input);
}

function visible(card: TeamsCard): string {
  return cardTexts(card).join('\n');
}

describe('built-in Teams templates', () => {
  it('has a template for each of the 15 event types, a default, direct messages and thread parents', () => {
    expect(renderer.names('teams')).toEqual(
      [...EVENT_TYPES, 'default', 'digest', 'dm-assigned', 'dm-digest', 'dm-tagged', 'thread-parent'].sort(),
    );
    expect(renderer.templateFor('teams', 'unknown')).toBe('default');
  });

  it('renders every fixture event through every template into an Adaptive Card 1.5 Teams accepts', () => {
    const samples = loadSamples();
    expect(samples.length).toBeGreaterThanOrEqual(16);
    for (const template of renderer.names('teams')) {
      for (const { name, input } of samples) {
        const card = renderer.render('teams', template, input);
        expect(teamsCardProblems(card), `${template} × ${name}`).toEqual([]);
        for (const markup of teamsMarkup(card)) {
          expect(markup, `${template} × ${name}`).toMatch(
            /^\[[^\]]+\]\(https:\/\/app\.credo\.ai\/acme\/|^<at>/,
          );
        }
        for (const url of actionUrls(card))
          expect(url, `${template} × ${name}`).toMatch(/^https:\/\/app\.credo\.ai\/acme/);
      }
    }
  });
});

describe('Teams Workflows cards (issue 15)', () => {
  it('renders every fixture event through every template into a valid Adaptive Card 1.4', () => {
    for (const template of renderer.names('teams')) {
      for (const { name, input } of loadSamples()) {
        const card = renderer.render('teams', template, input, '1.4');
        expect(teamsCardProblems(card, '1.4'), `${template} × ${name}`).toEqual([]);
      }
    }
  });

  it('keeps the bot card at 1.5 with its heading, and gives Workflows the same look at 1.4', () => {
    const input = sample('use_case_review_status_updated.delivered');
    const bot = render(input);
    const workflow = renderer.render('teams', renderer.templateFor('teams', input.event.type), input, '1.4');
    expect(bot.version).toBe('1.5');
    expect(bot.body[0]).toMatchObject({ style: 'heading', size: 'Large', weight: 'Bolder' });
    expect(workflow.version).toBe('1.4');
    expect(workflow.body[0]).not.toHaveProperty('style');
    expect(workflow.body[0]).toMatchObject({ size: 'Large', weight: 'Bolder' });
    expect(visible(workflow)).toBe(visible(bot));
  });

  it.each([
    [
      'a 1.5-only element',
      '{ {{> card-properties}}, "body": [{ "type": "Table", "columns": [], "rows": [] }] }',
    ],
    [
      'a 1.5-only property',
      '{ {{> card-properties}}, "body": [{ "type": "TextBlock", "text": "x", "style": "heading" }] }',
    ],
    [
      'a declared 1.5',
      '{ "type": "AdaptiveCard", "version": "1.5", "body": [{ "type": "TextBlock", "text": "x" }] }',
    ],
  ])('refuses a user template with %s at 1.4, naming its file, and renders it at 1.5', (_, source) => {
    const custom = testRenderer({ userDir: userTemplatesDir({ 'teams/custom.hbs': source }) });
    const input = sample('use_case_review_comment');
    const failure = thrownBy(() => custom.render('teams', 'custom', input, '1.4'), TemplateError);
    expect(String(failure)).toMatch(/teams\/custom\.hbs: not a valid Adaptive Card 1\.4: /);
    expect(custom.render('teams', 'custom', input).version).toBe('1.5');
  });

  it('lets a template choose by version with {{#since}}', () => {
    const custom = testRenderer({
      userDir: userTemplatesDir({
        'teams/custom.hbs':
          '{ {{> card-properties}}, "body": [{ "type": "TextBlock", "text": "{{#since "1.5"}}new{{else}}old{{/since}}" }] }',
      }),
    });
    const input = sample('use_case_review_comment');
    expect(visible(custom.render('teams', 'custom', input))).toBe('new');
    expect(visible(custom.render('teams', 'custom', input, '1.4'))).toBe('old');
  });
});

describe('what a Teams card tells its reader', () => {
  it('says whose review moved to which status, when, with a button to the review', () => {
    const card = render(sample('use_case_review_status_updated.delivered'));
    expect(card.fallbackText).toBe('🔄 Review of SefqMYk3TSqe6rK7Lg7YZ: In progress');
    expect(visible(card)).toContain('**Nick Cemenenkoff** set the review of');
    expect(visible(card)).toContain('**🔄 In progress**');
    expect(visible(card)).toContain('7 Aug 2025, 05:56 UTC');
    expect(card.actions).toEqual([
      {
        type: 'Action.OpenUrl',
        title: 'Open the review in Credo AI',
        url: `${APP_URL}/use-cases/SefqMYk3TSqe6rK7Lg7YZ/reviews/L7BNwLapiuMQVNewuS49N`,
      },
    ]);
  });

  it('names the use case when its name is known, and links it', () => {
    const card = render({ ...sample('use_case_review_status_updated'), useCaseName: 'Résumé screening' });
    expect(card.fallbackText).toContain('Review of Résumé screening');
    expect(teamsMarkup(card)).toContain(`[Résumé screening](${APP_URL}/use-cases/ZiSPid3wLeXWTe4VTRjbq9)`);
  });

  it('mentions a tagged user by their Teams id, with the entity Teams needs to ping them', () => {
    const card = render({
      ...sample('use_case_review_comment'),
      people: { MMC8qELwNoq9V27Y2cvqHf: { name: 'John Doe', teamsId: 'john.doe@acme.com' } },
    });
    expect(visible(card)).toContain('Hello <at>John Doe</at>');
    expect(visible(card)).toContain('Tagged: <at>John Doe</at>');
    expect(mentionEntities(card)).toEqual([
      {
        type: 'mention',
        text: '<at>John Doe</at>',
        mentioned: { id: 'john.doe@acme.com', name: 'John Doe' },
      },
    ]);
    expect(card.fallbackText).toContain('Hello @John Doe');
    expect(card.fallbackText).not.toContain('<at>');
    expect(teamsCardProblems(card)).toEqual([]);
  });

  it('prefers the Teams id to the email, and falls back to the email (a UPN)', () => {
    const byId = render({
      ...sample('use_case_review_task_status_updated'),
      people: { FSZqZLT8eFUUp53uTM6Ref: { teamsId: '29:1a2b3c-steven' } },
    });
    expect(mentionEntities(byId).map((entity) => entity.mentioned.id)).toEqual(['29:1a2b3c-steven']);

    // The event tells the actor's email; the actor is also the assignee.
    const byEmail = render(sample('use_case_review_task_status_updated'));
    expect(visible(byEmail)).toContain('**Assigned to** <at>steven@credo.ai</at>');
    expect(mentionEntities(byEmail).map((entity) => entity.mentioned.id)).toEqual(['steven@credo.ai']);
  });

  it('shows a person Teams cannot know by name in bold, with no entity', () => {
    const card = render(sample('use_case_review_comment'));
    expect(visible(card)).toContain('Hello **John Doe**');
    expect(visible(card)).toContain('Tagged: **John Doe**');
    expect(visible(card)).not.toMatch(/@\[|users:|<at>/);
    expect(mentionEntities(card)).toEqual([]);
  });

  it('never mentions by an id that is not a Teams id or a UPN', () => {
    const card = render({
      ...sample('use_case_review_comment'),
      people: { MMC8qELwNoq9V27Y2cvqHf: { name: 'John Doe', teamsId: 'x"}], "entities": [' } },
    });
    expect(mentionEntities(card)).toEqual([]);
    expect(visible(card)).toContain('Hello **John Doe**');
  });

  it('says a task was deleted and whose it was', () => {
    const card = render(sample('use_case_review_task_deleted'));
    expect(visible(card)).toContain('**steven@credo.ai** deleted a review task of');
    expect(visible(card)).toContain('**Assigned to** <at>steven@credo.ai</at>');
  });

  it('shows the custom field by name with its new value', () => {
    const card = render(sample('use_case_custom_field_updated'));
    expect(card.fallbackText).toBe('🏷️ Target Review Date: 05/23/2024 on QHG9s995aVztB6Xc3caXyW');
    expect(card.body).toContainEqual({
      type: 'FactSet',
      facts: [{ title: 'Target Review Date', value: '05/23/2024' }],
    });
  });

  it.each([
    ['use_case_is_vendor_updated', '**Vendor-provided**', { title: 'Is vendor', value: 'Yes' }],
    [
      'use_case_risk_category_level_updated',
      '**Risk category level**',
      { title: 'Risk category level', value: 'High' },
    ],
  ])('%s: says which field of the use case changed and to what', (name, field, fact) => {
    const card = render(sample(name));
    expect(visible(card)).toContain(`**María López** changed the ${field} of`);
    expect(JSON.stringify(card.body)).toContain(JSON.stringify(fact));
  });

  it('says so when a field change carries no value', () => {
    const input = sample('use_case_name_updated');
    delete input.event.data.name;
    const card = render(input);
    expect(visible(card)).toContain('(the event does not say to what)');
    expect(teamsCardProblems(card)).toEqual([]);
  });

  it('shows an event of an unknown type by its own name, with everything it carries', () => {
    const card = render(sample('use_case_owner_updated'));
    expect((card.body as unknown[])[0]).toMatchObject({
      type: 'TextBlock',
      text: '🔔 Use case owner updated',
    });
    expect(JSON.stringify(card.body)).toContain('{"title":"Owner id","value":"Hq3Lx7PzR2bWc9TmVf8KdN"}');
  });
});

describe('user Teams templates', () => {
  it('replace a built-in one by name and keep the built-in partials and helpers', () => {
    const userDir = userTemplatesDir({
      'teams/use_case_review_comment.hbs':
        '{ {{> card-properties}}, "body": [{ "type": "TextBlock", "text": "Said: {{richText comment}}", "wrap": true }] }',
    });
    const custom = testRenderer({ userDir });
    const card = custom.render('teams', 'use_case_review_comment', {
      ...sample('use_case_review_comment'),
      people: { MMC8qELwNoq9V27Y2cvqHf: { name: 'John Doe', teamsId: 'john.doe@acme.com' } },
    });
    expect(visible(card)).toBe('Said: Hello <at>John Doe</at>');
    expect(mentionEntities(card)).toHaveLength(1);
    expect(teamsCardProblems(card)).toEqual([]);
  });

  it('fail with the file named when the output is no Adaptive Card', () => {
    const userDir = userTemplatesDir({
      'teams/default.hbs': '{ "type": "message", "text": "{{event.title}}" }',
    });
    const custom = testRenderer({ userDir });
    const failure = thrownBy(
      () => custom.render('teams', 'default', sample('use_case_owner_updated')),
      TemplateError,
    );
    expect(failure).toBeInstanceOf(TemplateError);
    expect(String(failure)).toContain('teams/default.hbs');
    expect(String(failure)).toContain('not an Adaptive Card');
  });
});
