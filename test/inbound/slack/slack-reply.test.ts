import { describe, expect, it } from 'vitest';
import { slackCommandAnswer } from '../../../src/inbound/slack/slack-reply.js';
import { SLACK_LIMITS } from '../../../src/render/slack-limits.js';

const textsOf = (answer: ReturnType<typeof slackCommandAnswer>) =>
  answer.blocks.map((block) => (block.text as { text: string }).text);

describe('a chat reply as Slack shows it (issue 17)', () => {
  it('shows a long list within what Slack takes, in order, and says how many lines were left out', () => {
    const lines = Array.from({ length: 400 }, (_, i) => `Use case UC_${i}: reviews, tasks (by alice)`);

    const answer = slackCommandAnswer({
      ok: true,
      summary: 'Sent to this channel: 400 subscriptions.',
      lines,
    });

    const [summary, ...rest] = textsOf(answer);
    expect(answer.blocks.length).toBeLessThanOrEqual(SLACK_LIMITS.blocks);
    expect(JSON.stringify(answer.blocks).length).toBeLessThanOrEqual(SLACK_LIMITS.blocksJson);
    for (const text of rest) expect(text.length).toBeLessThanOrEqual(SLACK_LIMITS.sectionText);
    expect(summary).toBe('Sent to this channel: 400 subscriptions.');
    const shown = rest.slice(0, -1).join('\n').split('\n');
    expect(shown).toEqual(lines.slice(0, shown.length));
    expect(rest.at(-1)).toBe(`…and ${400 - shown.length} more.`);
  });

  it('shows a short list whole, in one section', () => {
    const answer = slackCommandAnswer({
      ok: true,
      summary: 'Sent here: 2.',
      lines: ['UC_1: reviews', 'UC_2: tasks'],
    });

    expect(textsOf(answer)).toEqual(['Sent here: 2.', 'UC_1: reviews\nUC_2: tasks']);
  });

  it('marks a refusal, so that nothing changed is seen at a glance', () => {
    const answer = slackCommandAnswer({ ok: false, summary: 'You may not.', lines: ['Ask an admin.'] });

    expect(textsOf(answer)).toEqual([':warning: You may not.', 'Ask an admin.']);
    expect(answer.text).toBe('You may not.');
  });
});
