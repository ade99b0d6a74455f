import { describe, expect, it } from 'vitest';
import { classifyTeamsFailure } from '../../../src/notify/teams/classify-teams-failure.js';

/**
 * What waits for a Teams retry (issue #17). Microsoft's "Status codes from bot conversational
 * APIs" table says to retry 412, 429, 502, 503 and 504; its rate-limit page counts a 429 per bot
 * per conversation (thread).
 */
describe('classifyTeamsFailure: what waits for the retry', () => {
  const scopeOf = (failure: Parameters<typeof classifyTeamsFailure>[0]) =>
    classifyTeamsFailure(failure, 'Teams').scope;

  it.each([502, 503, 504])('holds every conversation after a %i: the service is failing', (status) => {
    expect(scopeOf({ kind: 'answered', status })).toBe('service');
  });

  it('holds every conversation when Teams does not answer at all', () => {
    expect(scopeOf({ kind: 'unanswered', error: new Error('ECONNREFUSED') })).toBe('service');
  });

  it('holds only the conversation a 429 throttles', () => {
    expect(scopeOf({ kind: 'answered', status: 429, retryAfterSeconds: 7 })).toBe('destination');
  });

  it('leaves a 412 to its own message', () => {
    expect(scopeOf({ kind: 'answered', status: 412 })).toBe('job');
  });
});
