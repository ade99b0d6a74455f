import fc from 'fast-check';
import Handlebars from 'handlebars';
import { describe, expect, it } from 'vitest';
import type { SlackMessage } from '../../src/messages.js';
import { allTexts, blockKitProblems, shown, slackMarkup } from './block-kit.js';
import { commentEvent, HOSTILE, hostileText, hostileValueEvents } from './hostile-input.js';
import { sample } from './render-samples.js';
import { APP_URL, testRenderer } from './test-renderer.js';

const renderer = testRenderer();

/** What Slack would show for hostile text: the same, but broadcasts cannot fire. */
const HOSTILE_SHOWN = HOSTILE.replace(/@(here|channel|everyone)/g, '@\u200d$1');

/** Slack markup in a message that is not ours: our links into Credo AI, and known mentions. */
function foreignMarkup(message: SlackMessage, slackIds: string[] = []): string[] {
  return slackMarkup(message).filter(
    (markup) => !markup.startsWith(`<${APP_URL}/`) && !slackIds.some((id) => markup === `<@${id}>`),
  );
}

describe('untrusted text in Slack messages', () => {
  it('shows a hostile comment exactly as written, with no markup, mention or template of its own', () => {
    const message = renderer.render('slack', 'use_case_review_comment', commentEvent(HOSTILE));
    expect(blockKitProblems(message)).toEqual([]);
    expect(foreignMarkup(message)).toEqual([]);
    expect(allTexts(message).map(shown)).toContain(HOSTILE_SHOWN);
    expect(allTexts(message).join('\n')).not.toMatch(/@(here|channel|everyone)/);
  });

  it('keeps hostile names, use case names and values inert in every template', () => {
    for (const { name, input } of hostileValueEvents(HOSTILE)) {
      for (const template of renderer.names('slack')) {
        const message = renderer.render('slack', template, input);
        expect(blockKitProblems(message), `${template} × ${name}`).toEqual([]);
        expect(foreignMarkup(message), `${template} × ${name}`).toEqual([]);
      }
    }
  });

  it('never lets any text break the message or smuggle markup in', () => {
    fc.assert(
      fc.property(hostileText, hostileText, hostileText, (comment, name, useCaseName) => {
        const input = commentEvent(comment, { useCaseName, people: { B: { name, slackId: 'U0B' } } });
        input.event.data.user = { givenName: name };
        const message = renderer.render('slack', 'use_case_review_comment', input);
        expect(blockKitProblems(message)).toEqual([]);
        expect(foreignMarkup(message, ['U0B'])).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });

  it('makes a mention only of a real Slack user id', () => {
    const people = { MMC8qELwNoq9V27Y2cvqHf: { name: 'John Doe', slackId: 'U1>|<!channel' } };
    const message = renderer.render('slack', 'use_case_review_comment', {
      ...sample('use_case_review_comment'),
      people,
    });
    expect(foreignMarkup(message)).toEqual([]);
    expect(allTexts(message).join('\n')).toContain('Hello *John Doe*');
  });

  it('cuts a 10,000-character comment to fit, never in the middle of an escape', () => {
    const message = renderer.render('slack', 'use_case_review_comment', commentEvent('&'.repeat(10_000)));
    expect(blockKitProblems(message)).toEqual([]);
    const comment = allTexts(message).find((text) => text.startsWith('&amp;'));
    expect(comment).toMatch(/^(&amp;)+…$/);
    expect(message.text).toMatch(/(&amp;)+…$/);
  });

  it('keeps 60 tagged users whole and within limits, with and without Slack ids', () => {
    const tagged = Array.from({ length: 60 }, (_, i) => ({
      user: `Reviewer ${i} ${'x'.repeat(80)}`,
      user_id: `ID${i}`,
    }));
    const withIds = Object.fromEntries(tagged.map((t, i) => [t.user_id, { slackId: `U${1000 + i}` }]));
    const input = commentEvent(tagged.map((t) => `@[${t.user}](users:${t.user_id})`).join(' '));
    input.event.data.taggedUsers = tagged;

    // A config that lets one event mention all 60: the subject here is the platform's limits.
    const allowingAll = testRenderer({ maxMentionsPerEvent: 100 });
    const mentioned = allowingAll.render('slack', 'use_case_review_comment', { ...input, people: withIds });
    expect(blockKitProblems(mentioned)).toEqual([]);
    const tagLine = allTexts(mentioned).find((text) => text.startsWith('Tagged:'));
    expect(tagLine?.match(/<@U\d+>/g)).toHaveLength(60);

    const named = renderer.render('slack', 'use_case_review_comment', input);
    expect(blockKitProblems(named)).toEqual([]);
    expect(foreignMarkup(named)).toEqual([]);
    expect(allTexts(named).find((text) => text.startsWith('Tagged:'))).toMatch(/…$/);
  });

  it('leaves Handlebars escaping as it was for anyone else in the process', () => {
    renderer.render('slack', 'default', commentEvent(HOSTILE));
    expect(Handlebars.compile('{{x}}')({ x: '<b>"&"</b>' })).toBe('&lt;b&gt;&quot;&amp;&quot;&lt;/b&gt;');
  });
});
