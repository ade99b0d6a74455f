import { describe, expect, it } from 'vitest';
import { EVENT_TYPES, UNKNOWN_EVENT } from '../../src/events/event-types.js';
import { recognizeEventType } from '../../src/receiver/event-type.js';
import { loadFixtureEvents } from '../helpers/fixture-events.js';

const credoAffixes = { prefix: 'CredoAI', suffix: 'v1' };
const noAffixes = { prefix: '', suffix: '' };

describe('recognizeEventType', () => {
  describe.each(loadFixtureEvents())('the guide example $name', (fixture) => {
    it.each([
      ['the affixes of the guides', credoAffixes],
      ['no affixes configured', noAffixes],
      ['other affixes configured', { prefix: 'Acme', suffix: 'v2' }],
    ])('is recognized with %s', (_, affixes) => {
      expect(recognizeEventType(fixture.envelope, affixes)).toEqual({ type: fixture.eventType, known: true });
    });
  });

  it.each(EVENT_TYPES)('recognizes %s with or without each affix', (type) => {
    for (const raw of [`CredoAI.${type}.v1`, `CredoAI.${type}`, `${type}.v1`, type]) {
      expect(recognizeEventType({ type: raw }, credoAffixes)).toEqual({ type, known: true });
    }
  });

  it('strips affixes that contain dots', () => {
    const affixes = { prefix: 'acme.prod', suffix: 'v2.1' };
    expect(recognizeEventType({ type: 'acme.prod.use_case_name_updated.v2.1' }, affixes).type).toBe(
      'use_case_name_updated',
    );
  });

  it('falls back to the subject when the type says nothing known', () => {
    const envelope = { type: 'com.example.renamed', subject: 'use_case_review_comment' };
    expect(recognizeEventType(envelope, credoAffixes)).toEqual({
      type: 'use_case_review_comment',
      known: true,
    });
  });

  it('falls back to data.eventType after the subject', () => {
    const envelope = {
      type: 'com.example.renamed',
      subject: 'something-else',
      data: { eventType: 'use_case_review_task_deleted' },
    };
    expect(recognizeEventType(envelope, credoAffixes).type).toBe('use_case_review_task_deleted');
  });

  it('prefers the type, then the subject, then data.eventType', () => {
    const all = {
      type: 'CredoAI.use_case_name_updated.v1',
      subject: 'use_case_icon_updated',
      data: { eventType: 'use_case_regions_updated' },
    };
    expect(recognizeEventType(all, credoAffixes).type).toBe('use_case_name_updated');
    expect(recognizeEventType({ ...all, type: 'renamed' }, credoAffixes).type).toBe('use_case_icon_updated');
    expect(recognizeEventType({ ...all, type: 'renamed', subject: 'x' }, credoAffixes).type).toBe(
      'use_case_regions_updated',
    );
  });

  it('ignores a subject or data.eventType that is not a string', () => {
    const envelope = { type: 'renamed', subject: 42, data: { eventType: ['use_case_name_updated'] } };
    expect(recognizeEventType(envelope, credoAffixes)).toEqual({ type: UNKNOWN_EVENT, known: false });
  });

  it('finds a known name inside a type written another way, longest name first', () => {
    expect(recognizeEventType({ type: 'Acme/use_case_review_status_updated@2' }, credoAffixes).type).toBe(
      'use_case_review_status_updated',
    );
    const both = { type: 'x.use_case_name_updated.use_case_review_task_status_updated' };
    expect(recognizeEventType(both, noAffixes).type).toBe('use_case_review_task_status_updated');
  });

  it('calls a type it does not know "unknown" rather than failing', () => {
    for (const type of ['CredoAI.use_case_archived.v1', 'CredoAI..v1', 'use_case']) {
      expect(recognizeEventType({ type, data: {} }, credoAffixes)).toEqual({
        type: UNKNOWN_EVENT,
        known: false,
      });
    }
  });
});
