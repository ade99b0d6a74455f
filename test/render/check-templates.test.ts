import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkTemplates } from '../../src/render/check-templates.js';
import { loadSamples } from './render-samples.js';
import { testRenderer } from './test-renderer.js';
import { userTemplatesDir } from './user-templates.js';

describe('checkTemplates', () => {
  it.each(['slack', 'teams'] as const)(
    'finds nothing wrong with the built-in %s templates for any fixture event',
    (platform) => {
      expect(checkTemplates(testRenderer(), loadSamples(), platform)).toEqual([]);
    },
  );

  it('finds nothing wrong with the built-in teams templates as Workflows cards, at 1.4', () => {
    const renderer = testRenderer();
    expect(checkTemplates(renderer, loadSamples(), 'teams', renderer.names('teams'), '1.4')).toEqual([]);
  });

  it('reports a Teams template that Workflows cannot display, at 1.4 only (issue 15)', () => {
    const userDir = userTemplatesDir({
      'teams/custom.hbs':
        '{ {{> card-properties}}, "body": [{ "type": "TextBlock", "text": "x", "style": "heading" }] }',
    });
    const renderer = testRenderer({ userDir });
    const [sample] = loadSamples();
    if (!sample) throw new Error('no samples');
    expect(checkTemplates(renderer, [sample], 'teams', ['custom'])).toEqual([]);
    expect(checkTemplates(renderer, [sample], 'teams', ['custom'], '1.4')).toEqual([
      {
        platform: 'teams',
        template: 'custom',
        sample: sample.name,
        message: expect.stringContaining(
          'not a valid Adaptive Card 1.4: Property "style" is supported in version 1.5',
        ),
      },
    ]);
  });

  it('reports a Teams template that fails on an event', () => {
    const userDir = userTemplatesDir({
      'teams/custom.hbs': '{ "type": "AdaptiveCard", "body": [{{customField.name}}] }',
    });
    const renderer = testRenderer({ userDir });
    const problems = checkTemplates(renderer, loadSamples(), 'teams', ['custom']);
    expect(problems.length).toBeGreaterThan(0);
    expect(problems[0]).toMatchObject({ platform: 'teams', template: 'custom' });
  });

  it('lists each sample a template fails on, and route templates that do not exist', () => {
    const userDir = userTemplatesDir({
      'slack/custom.hbs': '{ "text": "{{customField.name}}", "blocks": [] }',
    });
    const renderer = testRenderer({ userDir });
    const samples = loadSamples().filter(
      (s) => s.name.startsWith('use_case_custom_field') || s.name.startsWith('use_case_review_comment'),
    );

    expect(
      checkTemplates(renderer, samples, 'slack', ['custom', 'use_case_review_comment', 'missing']),
    ).toEqual([
      {
        platform: 'slack',
        template: 'custom',
        sample: 'use_case_review_comment',
        message: expect.stringContaining(`${join(userDir, 'slack', 'custom.hbs')}:1: "name" not defined`),
      },
      { platform: 'slack', template: 'missing', sample: null, message: 'no slack template named "missing"' },
    ]);
  });
});
