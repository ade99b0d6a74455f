import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TemplateError } from '../../src/render/template-error.js';
import { thrownBy } from '../helpers/thrown-by.js';
import { allTexts } from './block-kit.js';
import { sample } from './render-samples.js';
import { testRenderer } from './test-renderer.js';
import { userTemplatesDir } from './user-templates.js';

function rendererWith(files: Record<string, string>) {
  const userDir = userTemplatesDir(files);
  return { userDir, renderer: testRenderer({ userDir }) };
}

const RISK_LEVEL = `{
  "text": "Risk of {{useCase.label}} is now {{data.riskCategoryLevel}}",
  "blocks": [{{> header}}, { "type": "section", "text": { "type": "mrkdwn", "text": "*{{data.riskCategoryLevel}}*" } }]
}
`;

describe('the user’s templates', () => {
  it('replace built-in ones file by file, partials included, and add route templates', () => {
    const { renderer } = rendererWith({
      'slack/use_case_review_status_updated.hbs':
        '{ "text": "ours: {{status.label}}", "blocks": [{{> header}}] }\n',
      'slack/partials/header.hbs':
        '{ "type": "header", "text": { "type": "plain_text", "text": "ACME: {{@root.event.title}}" } }\n',
      'slack/risk-level.hbs': RISK_LEVEL,
    });

    const status = renderer.render(
      'slack',
      'use_case_review_status_updated',
      sample('use_case_review_status_updated'),
    );
    expect(status.text).toBe('ours: In progress');
    expect(status.blocks).toEqual([
      { type: 'header', text: { type: 'plain_text', text: 'ACME: Review status updated' } },
    ]);

    // A built-in template the user did not replace uses their header too.
    const comment = renderer.render('slack', 'use_case_review_comment', sample('use_case_review_comment'));
    expect(allTexts(comment)).toContain('ACME: New review comment');

    const risk = renderer.render('slack', 'risk-level', sample('use_case_risk_category_level_updated'));
    expect(risk.text).toBe('Risk of ZiSPid3wLeXWTe4VTRjbq9 is now high');
    expect(renderer.names('slack')).toContain('risk-level');
  });

  it('picks the route’s template, else the event type’s, else the default', () => {
    const { renderer } = rendererWith({ 'slack/risk-level.hbs': RISK_LEVEL });
    const type = 'use_case_risk_category_level_updated';
    expect(renderer.templateFor('slack', type, 'risk-level')).toBe('risk-level');
    expect(renderer.templateFor('slack', type, 'no-such-template')).toBe(type);
    expect(renderer.templateFor('slack', type)).toBe(type);
    expect(renderer.templateFor('slack', 'unknown')).toBe('default');
    expect(renderer.has('slack', 'risk-level')).toBe(true);
    expect(renderer.has('teams', 'risk-level')).toBe(false);
  });

  it('fail at start when one does not parse, naming the file and line', () => {
    const userDir = userTemplatesDir({
      'slack/broken.hbs': '{\n  "text": "ok",\n  "blocks": [{{#if actor}}]\n}\n',
    });
    const error = thrownBy(() => testRenderer({ userDir }), TemplateError);
    expect(error.file).toBe(join(userDir, 'slack', 'broken.hbs'));
    expect(error.message).toContain(`${join(userDir, 'slack', 'broken.hbs')}:`);
    expect(error.line).toBeGreaterThanOrEqual(3);
  });

  it('of a platform the server does not send to are compiled only when asked for, failing then', () => {
    const userDir = userTemplatesDir({
      'teams/broken.hbs': '{\n  "type": "AdaptiveCard",\n  "body": [{{#if actor}}]\n}\n',
    });
    // A server that sends only to Slack starts: Teams' templates are not its concern.
    const renderer = testRenderer({ userDir, platforms: ['slack'] });
    expect(renderer.has('slack', 'default')).toBe(true);
    // Asked for Teams (as `check` asks for every platform), it names the broken file.
    const error = thrownBy(() => renderer.names('teams'), TemplateError);
    expect(error.file).toBe(join(userDir, 'teams', 'broken.hbs'));
    expect(() => testRenderer({ userDir })).toThrow(TemplateError);
  });

  it.each([
    [
      'a partial',
      'slack/partials/footer.hbs',
      'a\n{{> no-such-partial}}',
      'unknown partial "no-such-partial"',
    ],
    ['a helper', 'slack/typo.hbs', '{\n"text": "{{lnk useCase.url useCase.label}}"}', 'unknown helper "lnk"'],
  ])(
    'fail at start when one uses %s that does not exist, naming the file and line',
    (_, path, source, detail) => {
      const userDir = userTemplatesDir({ [path]: source });
      const error = thrownBy(() => testRenderer({ userDir }), TemplateError);
      expect(error.message).toBe(`${join(userDir, path)}:2: ${detail}`);
    },
  );

  it.each([
    ['a partial', '{{> actor actor useCase}}'],
    ['a partial block', '{{#> actor actor useCase}}someone{{/actor}}'],
  ])(
    'fail at start when %s is given two arguments, which Handlebars compiles only at first use',
    (_, use) => {
      const path = 'slack/two-arguments.hbs';
      const userDir = userTemplatesDir({ [path]: `{\n"text": "${use}"}` });
      const error = thrownBy(() => testRenderer({ userDir }), TemplateError);
      expect(error.message).toBe(`${join(userDir, path)}:2: a partial takes at most one argument`);
    },
  );

  it('fail to render, naming the file, when a name is misspelt or the output is not JSON', () => {
    const { userDir, renderer } = rendererWith({
      'slack/misspelt.hbs': '{ "text": "{{useCase.nmae}}", "blocks": [] }',
      'slack/raw.hbs': '{ "text": "{{{data.comment}}}", "blocks": [] }',
    });
    const misspelt = thrownBy(
      () => renderer.render('slack', 'misspelt', sample('use_case_review_comment')),
      TemplateError,
    );
    expect(misspelt.message).toContain(join(userDir, 'slack', 'misspelt.hbs'));
    expect(misspelt.message).toContain('"nmae" not defined');

    const comment = sample('use_case_review_comment');
    comment.event.data.comment = 'a "quoted" word';
    const raw = thrownBy(() => renderer.render('slack', 'raw', comment), TemplateError);
    // The template has one line, so the broken output is traced back to it.
    expect(raw.message).toContain(`${join(userDir, 'slack', 'raw.hbs')}:1: output is not valid JSON`);
  });

  it('must be in a folder that exists', () => {
    expect(() => testRenderer({ userDir: '/no/such/dir' })).toThrow(
      'templates directory not found: /no/such/dir',
    );
  });
});
