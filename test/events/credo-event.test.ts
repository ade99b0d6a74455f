import { describe, expect, it } from 'vitest';
import { parseEvent, readEvent } from '../../src/events/credo-event.js';
import { fixtureEvent } from '../helpers/fixture-events.js';

const comment = fixtureEvent('use_case_review_comment').envelope;
const stored = (type: string, payload: unknown) =>
  readEvent({ id: 'msg_1', type: type as 'unknown', rawType: 'CredoAI.x', payload, receivedAt: 0 });

describe('parseEvent', () => {
  it('keeps the fields of data in the order Credo AI sent them, defaults last', () => {
    const { taggedUsers: _, ...data } = comment.data;
    const sent = { comment: data.comment, useCaseId: data.useCaseId, reviewId: data.reviewId };
    const parsed = parseEvent('use_case_review_comment', sent);

    expect(parsed.ok && Object.keys(parsed.data.data)).toEqual([
      'comment',
      'useCaseId',
      'reviewId',
      'taggedUsers',
    ]);
  });

  it('reads of an unknown event only the use case, review and actor that have the usual shape', () => {
    const parsed = parseEvent('unknown', { useCaseId: 42, user: { userId: 'u1' }, ownerId: 'o1' });

    expect(parsed).toEqual({
      ok: true,
      data: { type: 'unknown', data: { useCaseId: undefined, user: { userId: 'u1' }, ownerId: 'o1' } },
    });
  });
});

describe('readEvent', () => {
  it('gives a stored event its type back, with the envelope time', () => {
    const event = stored('use_case_review_comment', { ...comment, time: '2026-11-27T15:04:05Z' });

    expect(event).toMatchObject({
      id: 'msg_1',
      type: 'use_case_review_comment',
      time: '2026-11-27T15:04:05Z',
    });
    expect(event.type === 'use_case_review_comment' && event.data.taggedUsers).toHaveLength(1);
  });

  it('reads a stored event that no longer validates as unknown, keeping its data', () => {
    const { comment: _, ...data } = comment.data;

    expect(stored('use_case_review_comment', { ...comment, data })).toMatchObject({ type: 'unknown', data });
  });

  it('reads a type this version does not know, and a payload without data, as unknown', () => {
    expect(stored('use_case_owner_updated', comment)).toMatchObject({ type: 'unknown', data: comment.data });
    expect(stored('use_case_review_comment', 'not an envelope')).toMatchObject({ type: 'unknown', data: {} });
  });
});
