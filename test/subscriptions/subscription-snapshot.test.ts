import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import type { ChatSubscription } from '../../src/subscriptions/subscription-book.js';
import {
  createSubscriptionSnapshot,
  SNAPSHOT_WAIT_MS,
} from '../../src/subscriptions/subscription-snapshot.js';
import { createTestClock } from '../helpers/test-clock.js';

const subscription = (conversationId: string): ChatSubscription => ({
  platform: 'teams',
  conversationId,
  useCase: '*',
  events: ['use_case_review_comment'],
  by: { id: 'aad-ann' },
  at: 0,
});

/** A store's subscriptions as the snapshot reads them: counted, and failing on request. */
function storeOf(initial: ChatSubscription[]) {
  const state = { subscriptions: initial, reads: 0, failing: false, stalled: false };
  return {
    state,
    book: {
      async list() {
        state.reads += 1;
        if (state.stalled) return new Promise<never>(() => {});
        if (state.failing) throw new Error('store down');
        return state.subscriptions;
      },
    },
  };
}

describe('the snapshot of chat subscriptions routing reads (issue 13)', () => {
  it('reads the store at most once per 5 s, once for every event arriving meanwhile', async () => {
    const clock = createTestClock();
    const { state, book } = storeOf([subscription('a')]);
    const snapshot = createSubscriptionSnapshot({ book, clock, log: pino({ level: 'silent' }) });
    const [first, second] = await Promise.all([snapshot.current(), snapshot.current()]);
    expect([first, second]).toEqual([[subscription('a')], [subscription('a')]]);
    expect(state.reads).toBe(1);

    state.subscriptions = [subscription('a'), subscription('b')];
    await clock.advance(4_999);
    expect(await snapshot.current()).toHaveLength(1);
    await clock.advance(1);
    expect(await snapshot.current()).toHaveLength(2);
    expect(state.reads).toBe(2);
  });

  it('reads again at once after a change made here', async () => {
    const clock = createTestClock();
    const { state, book } = storeOf([]);
    const snapshot = createSubscriptionSnapshot({ book, clock, log: pino({ level: 'silent' }) });
    expect(await snapshot.current()).toEqual([]);
    state.subscriptions = [subscription('a')];
    snapshot.changed();
    expect(await snapshot.current()).toEqual([subscription('a')]);
  });

  it('keeps routing by the copy it has while the store cannot be read, and tries again next time', async () => {
    const clock = createTestClock();
    const { state, book } = storeOf([subscription('a')]);
    const snapshot = createSubscriptionSnapshot({ book, clock, log: pino({ level: 'silent' }) });
    await snapshot.current();
    state.failing = true;
    await clock.advance(5_000);
    expect(await snapshot.current()).toEqual([subscription('a')]);
    state.failing = false;
    state.subscriptions = [];
    expect(await snapshot.current()).toEqual([]);
  });

  it('routes by the copy it has once a read has taken 250 ms: a stalled store costs a delivery one timeout, not two', async () => {
    const clock = createTestClock();
    const { state, book } = storeOf([subscription('a')]);
    const snapshot = createSubscriptionSnapshot({ book, clock, log: pino({ level: 'silent' }) });
    await snapshot.current();
    state.stalled = true;
    await clock.advance(5_000);
    let routed: readonly ChatSubscription[] | undefined;
    const pending = snapshot.current().then((copy) => {
      routed = copy;
    });
    await clock.advance(SNAPSHOT_WAIT_MS - 1);
    expect(routed).toBeUndefined();
    await clock.advance(1);
    await pending;
    expect(routed).toEqual([subscription('a')]);
  });
});
