import { describe, expect, it } from 'vitest';
import type { SlackBlock } from '../../src/messages.js';
import { fitSlackLimits, truncateMrkdwn } from '../../src/render/slack-limits.js';
import { blockKitProblems } from './block-kit.js';

const mrkdwn = (text: string) => ({ type: 'mrkdwn', text });
const section = (text: string): SlackBlock => ({ type: 'section', text: mrkdwn(text) });

describe('truncateMrkdwn', () => {
  it('leaves text within the limit alone', () => {
    expect(truncateMrkdwn('short', 5)).toBe('short');
  });

  it('cuts with an ellipsis, within the limit', () => {
    expect(truncateMrkdwn('abcdefgh', 5)).toBe('abcd…');
  });

  it.each([
    ['an escape', 'ab&amp;cd', 6, 'ab…'],
    ['a mention', 'hi <@U0123456> there', 10, 'hi …'],
    ['a link', 'see <https://x.example/a|the review> now', 20, 'see …'],
    ['an emoji', 'ab😀cd', 4, 'ab…'],
  ])('never cuts %s in half', (_, text, max, expected) => {
    expect(truncateMrkdwn(text, max)).toBe(expected);
  });
});

describe('fitSlackLimits', () => {
  it('cuts header, section, field and context texts to their limits', () => {
    const fitted = fitSlackLimits({
      text: 't'.repeat(5000),
      blocks: [
        { type: 'header', text: { type: 'plain_text', text: 'h'.repeat(200) } },
        { type: 'section', text: mrkdwn('s'.repeat(3500)), fields: [mrkdwn('f'.repeat(2500))] },
        { type: 'context', elements: [mrkdwn('c'.repeat(3500))] },
      ],
    });
    expect(blockKitProblems(fitted)).toEqual([]);
    expect(fitted.text).toHaveLength(3000);
    expect(fitted.text.endsWith('…')).toBe(true);
  });

  it('keeps at most 10 fields and 10 context elements', () => {
    const many = Array.from({ length: 14 }, (_, i) => mrkdwn(`item ${i}`));
    const fitted = fitSlackLimits({
      text: 'x',
      blocks: [
        { type: 'section', fields: many },
        { type: 'context', elements: many },
      ],
    });
    expect(fitted.blocks[0]?.fields).toHaveLength(10);
    expect(fitted.blocks[1]?.elements).toHaveLength(10);
  });

  it('drops trailing blocks beyond 50, or beyond 12,000 characters in all', () => {
    const sixty = Array.from({ length: 60 }, (_, i) => section(`block ${i}`));
    expect(fitSlackLimits({ text: 'x', blocks: sixty }).blocks).toHaveLength(50);

    const big = Array.from({ length: 6 }, (_, i) => section(`${i}`.repeat(2900)));
    const fitted = fitSlackLimits({ text: 'x', blocks: big });
    expect(blockKitProblems(fitted)).toEqual([]);
    expect(fitted.blocks.map((block) => (block.text as { text: string }).text[0])).toEqual([
      '0',
      '1',
      '2',
      '3',
    ]);
  });

  it('drops what would be empty, and always keeps a fallback text', () => {
    const fitted = fitSlackLimits({
      text: '  ',
      blocks: [
        { type: 'header', text: { type: 'plain_text', text: '' } },
        section(' \n '),
        { type: 'section', text: mrkdwn(''), fields: [mrkdwn('')] },
        { type: 'context', elements: [mrkdwn('')] },
        section('what happened'),
      ],
    });
    expect(fitted).toEqual({ text: 'what happened', blocks: [section('what happened')] });
  });

  it('never sends an empty list of blocks', () => {
    const fitted = fitSlackLimits({ text: 'only text', blocks: [section('')] });
    expect(fitted.blocks).toEqual([section('only text')]);
  });
});
