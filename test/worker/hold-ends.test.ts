import { describe, expect, it } from 'vitest';
import { HoldEnds } from '../../src/worker/hold-ends.js';

describe('HoldEnds', () => {
  it('says how long until the first hold still ahead, forgetting those passed', () => {
    const ends = new HoldEnds();
    expect(ends.untilNext(0)).toBeUndefined();
    ends.add(4_000);
    ends.add(1_000);
    expect(ends.untilNext(0)).toBe(1_000);
    expect(ends.untilNext(1_000)).toBe(3_000);
    expect(ends.untilNext(4_000)).toBeUndefined();
  });
});
