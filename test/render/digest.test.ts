import { describe, expect, it } from 'vitest';
import { readEvent } from '../../src/events/credo-event.js';
import type { DigestOf, RenderInput } from '../../src/render/renderer.js';
import { SLACK_LIMITS } from '../../src/render/slack-limits.js';
import { TEAMS_LIMITS } from '../../src/render/teams-limits.js';
import { allTexts, blockKitProblems } from './block-kit.js';
import { cardTexts, teamsCardProblems } from './teams-card-problems.js';
import { APP_URL, testRenderer } from './test-renderer.js';

const renderer = testRenderer();
const USE_CASE = 'ZiSPid3wLeXWTe4VTRjbq9';
const ANA = {
  userId: 'AnaLima0000000000000001',
  givenName: 'Ana',
  familyName: 'Lima',
  email: 'ana@acme.com',
};

/** The `index`-th field update of one use case by Ana, as Credo AI sends a burst of edits. */
function fieldUpdate(index: number, useCaseId = USE_CASE) {
  return readEvent({
    id: `msg_digest_${index}`,
    type: 'use_case_custom_field_updated',
    rawType: 'CredoAI.use_case_custom_field_updated.v1',
    payload: {
      type: 'CredoAI.use_case_custom_field_updated.v1',
      data: {
        useCaseId,
        user: ANA,
        customFieldId: `cf${index}`,
        customFieldName: `Control ${index}`,
        value: `v${index}`,
      },
    },
    receivedAt: Date.UTC(2026, 11, 2, 10, 0, index),
  });
}

function digestOf(count: number): RenderInput {
  const items: DigestOf['items'] = Array.from({ length: count }, (_, i) => ({ event: fieldUpdate(i) }));
  const first = items[0]?.event;
  if (!first) throw new Error('a digest holds at least one event');
  return { event: first, useCaseName: 'Fraud Detection Model', digest: { items } };
}

describe('digest messages (issue 18)', () => {
  it('says who changed what, each change linked to Credo AI', () => {
    const message = renderer.render('slack', 'digest', digestOf(9));
    const texts = allTexts(message).join('\n');
    expect(texts).toContain('Ana Lima changed 9 fields of Fraud Detection Model');
    for (let i = 0; i < 9; i += 1) expect(texts).toContain(`Control ${i}: V${i}`);
    expect(texts).toContain(`<${APP_URL}/use-cases/${USE_CASE}|Custom field updated>`);
    expect(texts).not.toContain('more:');
    expect(blockKitProblems(message)).toEqual([]);
  });

  it('keeps 500 events within Slack’s limits, ending with "and N more" linking to the use case', () => {
    const message = renderer.render('slack', 'digest', digestOf(500));
    expect(blockKitProblems(message)).toEqual([]);
    expect(message.blocks.length).toBeLessThanOrEqual(SLACK_LIMITS.blocks);
    expect(JSON.stringify(message.blocks).length).toBeLessThanOrEqual(SLACK_LIMITS.blocksJson);
    const texts = allTexts(message).join('\n');
    const listed = (texts.match(/Control \d+: V\d+/g) ?? []).length;
    expect(listed).toBeGreaterThan(10);
    expect(texts).toContain(
      `and ${500 - listed} more: <${APP_URL}/use-cases/${USE_CASE}|see them all in Credo AI>`,
    );
  });

  it('keeps 500 events within Teams’ limits, ending with "and N more" linking to the use case', () => {
    for (const version of ['1.5', '1.4'] as const) {
      const card = renderer.render('teams', 'digest', digestOf(500), version);
      expect(teamsCardProblems(card, version)).toEqual([]);
      expect(Buffer.byteLength(JSON.stringify(card))).toBeLessThanOrEqual(TEAMS_LIMITS.cardBytes);
      const texts = cardTexts(card).join('\n');
      const listed = (texts.match(/Control \d+: V\d+/g) ?? []).length;
      expect(listed).toBeGreaterThan(10);
      expect(texts).toContain(
        `and ${500 - listed} more: [see them all in Credo AI](${APP_URL}/use-cases/${USE_CASE})`,
      );
    }
  });

  it('counts a direct message digest by reason: "While you were away: 2 mentions, 1 task assigned"', () => {
    const [a, b, c] = [fieldUpdate(1), fieldUpdate(2), fieldUpdate(3)];
    const input: RenderInput = {
      event: a,
      digest: {
        items: [
          { event: a, reason: 'tagged' },
          { event: b, reason: 'assigned' },
          { event: c, reason: 'tagged' },
        ],
      },
    };
    expect(renderer.render('slack', 'dm-digest', input).text).toBe(
      '🌙 While you were away: 2 mentions, 1 task assigned',
    );
    expect(renderer.render('teams', 'dm-digest', input).fallbackText).toBe(
      '🌙 While you were away: 2 mentions, 1 task assigned',
    );
  });
});
