import { describe, expect, it } from 'vitest';
import { createConversationPace } from '../../../src/inbound/teams/conversation-pace.js';
import { createTestClock } from '../../helpers/test-clock.js';

const WINDOWS = [{ limit: 2, perMs: 1_000 }];

/** Issue #11: every call of the bot into a conversation (replies, reads, posts) counts in one pace. */
describe('the bot’s pace per conversation', () => {
  it('holds a call past the window until it has room, by the clock, and counts a thread with its channel', async () => {
    const clock = createTestClock(0);
    const pace = createConversationPace(WINDOWS, clock);
    const calls: Array<[string, number]> = [];
    const call = (id: string) => pace.call(id, async () => calls.push([id, clock.now()]));

    await call('19:general@thread.tacv2');
    await call('19:general@thread.tacv2;messageid=1709900000001');
    const third = call('19:general@thread.tacv2');
    await clock.advance(999);
    expect(calls).toHaveLength(2);
    await clock.advance(1);
    await third;
    expect(calls.map(([, at]) => at)).toEqual([0, 0, 1_000]);
  });

  it('refuses, retryably and saying when, a post that would wait longer than it may', async () => {
    const clock = createTestClock(0);
    const pace = createConversationPace(WINDOWS, clock);
    await pace.call('a:chat', async () => 'welcome');
    await pace.call('a:chat', async () => 'help');

    await expect(pace.call('a:chat', async () => 'post', 500)).rejects.toMatchObject({
      code: 'CN_TEAMS_PACED',
      retryable: true,
      retryAfterMs: 1_000,
    });
    // Other conversations are not held by this one.
    await expect(pace.call('a:other', async () => 'post', 500)).resolves.toBe('post');
  });
});
