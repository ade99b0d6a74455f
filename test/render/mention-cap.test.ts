import { describe, expect, it } from 'vitest';
import { allTexts } from './block-kit.js';
import { commentEvent } from './hostile-input.js';
import { cardTexts, mentionEntities } from './teams-card-problems.js';
import { testRenderer } from './test-renderer.js';

/**
 * Issue 14: one event mentions at most `mentions.maxPerEvent` people. Those past the cap are
 * neither looked up nor messaged, and a reader sees them as the plain name the comment gives:
 * no ping, no bold "unknown person", even when their chat id happens to be known.
 */

const renderer = testRenderer({ maxMentionsPerEvent: 2 });

const input = {
  ...commentEvent('Hello @[Ann Ames](users:A1), @[Bob Birch](users:B2) and @[Cy Cole](users:C3)!'),
  people: {
    A1: { slackId: 'U0ANN', teamsId: 'ann@acme.com' },
    B2: { slackId: 'U0BOB', teamsId: 'bob@acme.com' },
    C3: { slackId: 'U0CY', teamsId: 'cy@acme.com' },
  },
};
input.event.data.taggedUsers = [];

describe('mentions past mentions.maxPerEvent', () => {
  it('are plain names in Slack: the first two are pinged, the third is not', () => {
    const texts = allTexts(renderer.render('slack', 'use_case_review_comment', input));

    expect(texts).toContain('Hello <@U0ANN>, <@U0BOB> and Cy Cole!');
    expect(texts.join('\n')).not.toContain('U0CY');
  });

  it('are plain names in Teams, with no mention entity', () => {
    const card = renderer.render('teams', 'use_case_review_comment', input);

    expect(cardTexts(card)).toContain('Hello <at>Ann Ames</at>, <at>Bob Birch</at> and Cy Cole!');
    expect(mentionEntities(card).map((entity) => entity.mentioned.id)).toEqual([
      'ann@acme.com',
      'bob@acme.com',
    ]);
  });

  it('count each person once: mentioning the same two people again stays under the cap', () => {
    const again = commentEvent('@[Ann Ames](users:A1) @[Bob Birch](users:B2) @[Ann Ames](users:A1)');
    again.event.data.taggedUsers = [];
    const texts = allTexts(
      renderer.render('slack', 'use_case_review_comment', { ...again, people: input.people }),
    );

    expect(texts).toContain('<@U0ANN> <@U0BOB> <@U0ANN>');
  });
});
