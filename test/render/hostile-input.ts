import fc from 'fast-check';
import type { RenderInput } from '../../src/render/renderer.js';
import { sample } from './render-samples.js';

/**
 * Text written to break a message, on every platform we render for: JSON quotes and
 * backslashes, characters Slack or Teams could split, broadcasts, mentions, links, entities,
 * templates and markup of both.
 */
export const HOSTILE = [
  'He said "ship it" \\o/ C:\\temp',
  'line two 😀 👩‍👩‍👧 ünïcödé',
  '<!channel> <!here> @here @channel @everyone <!subteam^S123>',
  '<http://evil.example|click here> <@U1> <#C1>',
  '<at>General</at> <at>John Doe</at> @General @channel @team',
  '[click here](http://evil.example) [ref]: http://evil.example <http://evil.example>',
  '{{x}} {{{y}}} {{> header}}',
  '{{DATE(2017-02-14T06:08:39Z, SHORT)}} {{x}} {{{y}}} {{> header}}',
  '&amp; & &lt; *bold* `code`',
  '&amp; & &lt;b&gt; <b>bold</b> **bold** `code`',
].join('\n');

/** Any text, salted with the pieces of markup, mentions and escapes either platform knows. */
export const hostileText = fc
  .array(
    fc.oneof(
      fc.string({ unit: 'binary' }),
      fc.constantFrom(
        '<',
        '>',
        '&',
        '|',
        '[',
        ']',
        '(',
        ')',
        '"',
        '\\',
        '\n',
        '*',
        '@here',
        '<!channel>',
        '<at>',
        '</at>',
        '](',
        '{{',
        '{{x}}',
        '@[A](users:B)',
        '&amp;',
      ),
    ),
    { maxLength: 12 },
  )
  .map((pieces) => pieces.join(''));

/** The review comment fixture, saying `comment`. */
export function commentEvent(comment: string, extra: Partial<RenderInput> = {}): RenderInput {
  const input = { ...sample('use_case_review_comment'), ...extra };
  input.event.data.comment = comment;
  return input;
}

/**
 * Events whose templates show the most untrusted values, with HOSTILE in every name, value and
 * key a template may show. `email` is the actor's address (a platform may mention by it).
 */
export function hostileValueEvents(email: string): Array<{ name: string; input: RenderInput }> {
  return [
    'use_case_custom_field_updated',
    'use_case_review_task_status_updated',
    'use_case_owner_updated',
  ].map((name) => {
    const input: RenderInput = {
      ...sample(name),
      useCaseName: HOSTILE,
      people: { FSZqZLT8eFUUp53uTM6Ref: { name: HOSTILE } },
    };
    Object.assign(input.event.data, {
      customFieldName: HOSTILE,
      value: HOSTILE,
      extra: { [HOSTILE]: [HOSTILE] },
    });
    input.event.data.user = { givenName: HOSTILE, email };
    return { name, input };
  });
}
