// biome-ignore-all lint/suspicious/noTemplateCurlyInString: these strings are config text, whose ${NAME} syntax is the subject here
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { interpolateEnv } from '../../src/config/interpolate-env.js';
import { MINIMAL, parseObject, problemsOfObject } from './config-text.js';

describe('environment references in the config', () => {
  it('names the missing variable and the key that uses it', () => {
    const config = { ...MINIMAL, credo: { auth: { secrets: ['${CREDO_WEBHOOK_SECRET}'] } } };

    expect(problemsOfObject(config)).toEqual([
      'credo.auth.secrets[0]: environment variable CREDO_WEBHOOK_SECRET is not set',
    ]);
  });

  it('tells an empty variable from an unset one', () => {
    const config = { ...MINIMAL, slack: { botToken: '${SLACK_BOT_TOKEN}' } };

    expect(problemsOfObject(config, { SLACK_BOT_TOKEN: '' })).toEqual([
      'slack.botToken: environment variable SLACK_BOT_TOKEN is empty',
    ]);
  });

  it('uses ${NAME:-default} when the variable is unset or empty, and the variable when set', () => {
    const config = { ...MINIMAL, server: { host: '${HOST:-0.0.0.0}', port: '${PORT:-8080}' } };

    expect(parseObject(config).server).toMatchObject({ host: '0.0.0.0', port: 8080 });
    expect(parseObject(config, { HOST: '', PORT: '' }).server).toMatchObject({ host: '0.0.0.0', port: 8080 });
    expect(parseObject(config, { HOST: '10.0.0.5', PORT: '9000' }).server).toMatchObject({
      host: '10.0.0.5',
      port: 9000,
    });
  });

  it('replaces references inside longer text', () => {
    const config = { ...MINIMAL, credo: { ...MINIMAL.credo, appUrl: 'https://app.credo.ai/${TENANT}/home' } };

    expect(parseObject(config, { TENANT: 'acme' }).credo.appUrl).toBe('https://app.credo.ai/acme/home');
  });

  it('keeps $${NAME} as the literal text ${NAME}', () => {
    const config = { ...MINIMAL, templates: { dir: './templates/$${NOT_A_VARIABLE}' } };

    expect(parseObject(config).templates.dir).toBe('./templates/${NOT_A_VARIABLE}');
  });

  it('refuses a malformed reference instead of leaving it in place', () => {
    const problems = problemsOfObject({ ...MINIMAL, templates: { dir: './${TEMPLATES_DIR' } });

    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^templates\.dir: contains a malformed "\$\{" reference; write \$\{NAME\}/);
  });

  it('reads nothing from process.env', () => {
    process.env.CREDO_NOTIFY_TEST_ONLY = 'from process.env';
    try {
      expect(problemsOfObject({ ...MINIMAL, templates: { dir: '${CREDO_NOTIFY_TEST_ONLY}' } })).toEqual([
        'templates.dir: environment variable CREDO_NOTIFY_TEST_ONLY is not set',
      ]);
    } finally {
      delete process.env.CREDO_NOTIFY_TEST_ONLY;
    }
  });

  it('lets a value with quotes, colons or newlines through unchanged, without breaking the YAML', () => {
    const config = { ...MINIMAL, destinations: { governance: { slack: { channel: '${CHANNEL}' } } } };
    const channelOf = (channel: string) => parseObject(config, { CHANNEL: channel }).destinations.governance;

    expect(channelOf('C0"\n  evil: [1, {')).toEqual({ slack: { channel: 'C0"\n  evil: [1, {' } });
    fc.assert(
      fc.property(
        fc.string({ unit: 'grapheme', minLength: 1 }).filter((s) => s.trim() === s && s !== ''),
        (channel) => {
          expect(channelOf(channel)).toEqual({ slack: { channel } });
        },
      ),
    );
  });

  it('substitutes in every string of the tree and leaves other values alone', () => {
    const tree = { a: ['${X}', 1, true, null, { b: 'pre-${X:-d}-${Y:-d}' }] };

    expect(interpolateEnv(tree, { X: 'x' })).toEqual({
      value: { a: ['x', 1, true, null, { b: 'pre-x-d' }] },
      problems: [],
    });
  });

  it('does not expand references that come from a variable', () => {
    expect(interpolateEnv('${A}', { A: '${B}', B: 'secret' }).value).toBe('${B}');
  });
});
