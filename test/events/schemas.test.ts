import { describe, expect, it } from 'vitest';
import { EVENT_TYPES, type EventType, UNKNOWN_EVENT } from '../../src/events/event-types.js';
import { envelopeSchema, parseEventData } from '../../src/events/schemas.js';
import { loadFixtureEvents } from '../helpers/fixture-events.js';

const fixtures = loadFixtureEvents();

function fixtureData(name: string): Record<string, unknown> {
  const fixture = fixtures.find((f) => f.name === name);
  if (!fixture) throw new Error(`no fixture ${name}`);
  return structuredClone(fixture.envelope.data);
}

function issuesOf(type: EventType, data: unknown) {
  const result = parseEventData(type, data);
  if (result.ok) throw new Error(`expected ${type} data to be refused`);
  return result.issues;
}

const reviewEvents = EVENT_TYPES.filter((type) => type.startsWith('use_case_review_'));

describe('envelopeSchema', () => {
  it.each(fixtures)('accepts the guide example $name and keeps its fields', ({ envelope }) => {
    expect(envelopeSchema.parse(envelope)).toEqual(envelope);
  });

  it('keeps fields it does not know', () => {
    const envelope = { type: 'CredoAI.x', data: {}, specversion: '1.0', id: 'abc' };
    expect(envelopeSchema.parse(envelope)).toEqual(envelope);
  });

  it.each([
    ['a missing type', { data: {} }, 'type'],
    ['an empty type', { type: '', data: {} }, 'type'],
    ['missing data', { type: 'CredoAI.x' }, 'data'],
    ['data that is a list', { type: 'CredoAI.x', data: [] }, 'data'],
    ['a subject that is not text', { type: 'CredoAI.x', data: {}, subject: 7 }, 'subject'],
  ])('refuses %s', (_, envelope, field) => {
    const result = envelopeSchema.safeParse(envelope);
    expect(result.error?.issues.map((issue) => issue.path.join('.'))).toEqual([field]);
  });
});

describe('parseEventData', () => {
  it.each(fixtures)('parses the guide example $name as its own type, keeping every field', (fixture) => {
    const result = parseEventData(fixture.eventType as EventType, fixture.envelope.data);
    expect(result).toEqual({ ok: true, data: fixture.envelope.data });
  });

  it('gives a comment without tagged users an empty list', () => {
    const { taggedUsers: _, ...data } = fixtureData('use_case_review_comment');
    expect(parseEventData('use_case_review_comment', data)).toMatchObject({
      ok: true,
      data: { taggedUsers: [] },
    });
  });

  it('accepts a metadata update whose new value comes under any name', () => {
    const data = { useCaseId: 'QHG9s995aVztB6Xc3caXyW', riskCategoryLevel: 'high', user: { userId: 'u1' } };
    for (const type of EVENT_TYPES.slice(0, 10)) {
      expect(parseEventData(type, data)).toEqual({ ok: true, data });
    }
  });

  it('accepts null where an optional field is not set', () => {
    const data = {
      ...fixtureData('use_case_review_task_status_updated'),
      assignedUserId: null,
      subStatus: null,
      user: { email: null, job: null },
    };
    expect(parseEventData('use_case_review_task_status_updated', data).ok).toBe(true);
  });

  it.each([[{ date: '2024-05-23' }], [['a', 'b']], [42], [null], [true]])(
    'accepts any JSON value of a custom field: %j',
    (value) => {
      const data = { ...fixtureData('use_case_custom_field_updated'), value };
      expect(parseEventData('use_case_custom_field_updated', data)).toMatchObject({
        ok: true,
        data: { value },
      });
    },
  );

  it.each([...EVENT_TYPES])('requires useCaseId for %s', (type) => {
    expect(issuesOf(type, { reviewId: 'r1', status: 'done', comment: 'hi' }).map((i) => i.path)).toContain(
      'data.useCaseId',
    );
  });

  it.each(reviewEvents)('requires reviewId for %s', (type) => {
    const data = { useCaseId: 'u1', status: 'done', comment: 'hi' };
    expect(issuesOf(type, data).map((i) => i.path)).toEqual(['data.reviewId']);
  });

  it.each([
    { type: 'use_case_review_comment', field: 'comment', value: undefined },
    { type: 'use_case_review_status_updated', field: 'status', value: 3 },
    { type: 'use_case_review_task_status_updated', field: 'status', value: undefined },
    { type: 'use_case_review_task_deleted', field: 'assignedUserId', value: 7 },
    { type: 'use_case_custom_field_updated', field: 'customFieldName', value: undefined },
    { type: 'use_case_custom_field_updated', field: 'customFieldId', value: '' },
  ] as const)('refuses $type data whose $field is $value, naming the field', ({ type, field, value }) => {
    const data = { ...fixtureData(type), [field]: value };
    expect(issuesOf(type, data)).toEqual([{ path: `data.${field}`, message: expect.any(String) }]);
  });

  it('names the tagged user that lacks an id', () => {
    const data = {
      ...fixtureData('use_case_review_comment'),
      taggedUsers: [{ user: 'John Doe', user_id: 'x' }, { user: 'Jane' }],
    };
    expect(issuesOf('use_case_review_comment', data)).toEqual([
      { path: 'data.taggedUsers[1].user_id', message: expect.stringMatching(/string/) },
    ]);
  });

  it('names a user field of the wrong kind', () => {
    const data = { ...fixtureData('use_case_review_status_updated'), user: { email: ['a@b.c'] } };
    expect(issuesOf('use_case_review_status_updated', data).map((i) => i.path)).toEqual(['data.user.email']);
  });

  it('accepts any object as the data of an unknown event', () => {
    const data = { anything: [1, { nested: true }] };
    expect(parseEventData(UNKNOWN_EVENT, data)).toEqual({ ok: true, data });
    expect(parseEventData(UNKNOWN_EVENT, {})).toEqual({ ok: true, data: {} });
  });

  it.each([[[]], [null], ['text']])('refuses data that is not an object: %j', (data) => {
    for (const type of [UNKNOWN_EVENT, 'use_case_review_comment'] as const) {
      expect(issuesOf(type, data)).toEqual([{ path: 'data', message: expect.any(String) }]);
    }
  });
});

describe('envelope type', () => {
  it('refuses control characters, which no event type name contains', () => {
    const result = envelopeSchema.safeParse({ type: 'CredoAI.use_case\u0000_review_comment', data: {} });
    expect(result.success).toBe(false);
  });
});
