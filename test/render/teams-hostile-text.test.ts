import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { TeamsCard } from '../../src/messages.js';
import { TEAMS_LIMITS } from '../../src/render/teams-limits.js';
import { commentEvent, HOSTILE, hostileText, hostileValueEvents } from './hostile-input.js';
import {
  cardTexts,
  mentionEntities,
  shownInTeams,
  teamsCardProblems,
  teamsMarkup,
} from './teams-card-problems.js';
import { testRenderer } from './test-renderer.js';

const renderer = testRenderer();

/**
 * Markup in a card that is not ours: links into Credo AI and mentions of known people are ours.
 * (A label with brackets may shift which part of it shows as our link; the link stays ours.)
 */
function foreignMarkup(card: TeamsCard, mentioned: string[] = []): string[] {
  return teamsMarkup(card).filter(
    (markup) => !/^\[[^\]]*\]\(https:\/\/app\.credo\.ai\/acme\//.test(markup) && !mentioned.includes(markup),
  );
}

describe('untrusted text in Teams cards', () => {
  it('shows a hostile comment exactly as written, with no mention, link or markup of its own', () => {
    const card = renderer.render('teams', 'use_case_review_comment', commentEvent(HOSTILE));
    expect(teamsCardProblems(card)).toEqual([]);
    expect(foreignMarkup(card)).toEqual([]);
    expect(mentionEntities(card)).toEqual([]);
    expect(cardTexts(card).map(shownInTeams)).toContain(HOSTILE);
  });

  it('keeps hostile names, use case names and values inert in every template', () => {
    for (const { name, input } of hostileValueEvents('steven@credo.ai')) {
      for (const template of renderer.names('teams')) {
        const card = renderer.render('teams', template, input);
        expect(teamsCardProblems(card), `${template} × ${name}`).toEqual([]);
        // The assignee is mentioned by email under their hostile name, escaped.
        const ours = mentionEntities(card).map((entity) => entity.text);
        expect(foreignMarkup(card, ours), `${template} × ${name}`).toEqual([]);
        for (const entity of mentionEntities(card)) expect(entity.mentioned.id).toBe('steven@credo.ai');
      }
    }
  });

  it('never lets any text break the card or smuggle a mention or link in', () => {
    fc.assert(
      fc.property(hostileText, hostileText, hostileText, (comment, name, useCaseName) => {
        const input = commentEvent(comment, { useCaseName, people: { B: { name, teamsId: 'b@acme.com' } } });
        input.event.data.user = { givenName: name };
        const card = renderer.render('teams', 'use_case_review_comment', input);
        expect(teamsCardProblems(card)).toEqual([]);
        const entities = mentionEntities(card);
        expect(entities.every((entity) => entity.mentioned.id === 'b@acme.com')).toBe(true);
        expect(
          foreignMarkup(
            card,
            entities.map((entity) => entity.text),
          ),
        ).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });

  it('cuts a 100,000-character comment to fit 28 KB, never in the middle of an escape', () => {
    const card = renderer.render('teams', 'use_case_review_comment', commentEvent('<'.repeat(100_000)));
    expect(teamsCardProblems(card)).toEqual([]);
    const comment = cardTexts(card).find((text) => text.startsWith('<'));
    expect(comment).toMatch(/^(<\u2060)+…$/);
    expect(comment?.length).toBeLessThanOrEqual(TEAMS_LIMITS.text);
  });

  it('keeps 60 tagged users, each mention whole with its entity, and the card under 28 KB', () => {
    const tagged = Array.from({ length: 60 }, (_, i) => ({
      user: `Reviewer ${i} Lastname`,
      user_id: `ID${i}`,
    }));
    const withIds = Object.fromEntries(
      tagged.map((t, i) => [t.user_id, { teamsId: `reviewer${i}@acme.com` }]),
    );
    const input = commentEvent(
      tagged
        .map((t) => `@[${t.user}](users:${t.user_id})`)
        .join(' ')
        .repeat(3),
    );
    input.event.data.taggedUsers = tagged;

    // A config that lets one event mention all 60: the subject here is the card's limits.
    const allowingAll = testRenderer({ maxMentionsPerEvent: 100 });
    const card = allowingAll.render('teams', 'use_case_review_comment', { ...input, people: withIds });
    expect(teamsCardProblems(card)).toEqual([]);
    const tagLine = cardTexts(card).find((text) => text.startsWith('Tagged:'));
    expect(tagLine?.match(/<at>Reviewer \d+ Lastname<\/at>/g)).toHaveLength(60);
    expect(mentionEntities(card)).toHaveLength(60);
  });

  it('drops the entity of a mention whose text had to be cut away', () => {
    const people = { MMC8qELwNoq9V27Y2cvqHf: { name: 'John Doe', teamsId: 'john@acme.com' } };
    const input = commentEvent(`${'a'.repeat(TEAMS_LIMITS.text)} @[John Doe](users:MMC8qELwNoq9V27Y2cvqHf)`, {
      people,
    });
    input.event.data.taggedUsers = [];
    const card = renderer.render('teams', 'use_case_review_comment', input);
    expect(teamsCardProblems(card)).toEqual([]);
    expect(cardTexts(card).join('\n')).not.toContain('<at>');
    expect(mentionEntities(card)).toEqual([]);
  });
});
