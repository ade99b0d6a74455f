import { describe, expect, it } from 'vitest';
import { type CommitBatch, createGroupCommit } from '../../src/store/group-commit.js';

/** A commit that records its batches and answers each item with its double; a negative item fails its batch. */
function recordingCommit() {
  const batches: number[][] = [];
  const commit: CommitBatch<number, number> = (items) => {
    batches.push([...items]);
    const bad = items.find((item) => item < 0);
    if (bad !== undefined) throw new Error(`bad ${bad}`);
    return items.map((item) => item * 2);
  };
  return { batches, commit };
}

describe('group commit', () => {
  it('commits items submitted together in one batch, each caller getting its own result', async () => {
    const { batches, commit } = recordingCommit();
    const group = createGroupCommit(commit);
    expect(await Promise.all([group.submit(1), group.submit(2), group.submit(3)])).toEqual([2, 4, 6]);
    expect(batches).toEqual([[1, 2, 3]]);
  });

  it('starts a new batch for items submitted after a commit', async () => {
    const { batches, commit } = recordingCommit();
    const group = createGroupCommit(commit);
    await group.submit(1);
    await Promise.all([group.submit(2), group.submit(3)]);
    expect(batches).toEqual([[1], [2, 3]]);
  });

  it('rejects only the caller whose item failed, committing the others each on its own', async () => {
    const { batches, commit } = recordingCommit();
    const group = createGroupCommit(commit);
    const results = await Promise.allSettled([group.submit(1), group.submit(-1), group.submit(3)]);
    expect(results).toEqual([
      { status: 'fulfilled', value: 2 },
      { status: 'rejected', reason: new Error('bad -1') },
      { status: 'fulfilled', value: 6 },
    ]);
    expect(batches).toEqual([[1, -1, 3], [1], [-1], [3]]);
  });

  it('rejects every caller of a batch whose commit fails', async () => {
    const group = createGroupCommit<number, number>(() => {
      throw new Error('disk I/O error');
    });
    const results = await Promise.allSettled([group.submit(1), group.submit(2)]);
    expect(results).toEqual([
      { status: 'rejected', reason: new Error('disk I/O error') },
      { status: 'rejected', reason: new Error('disk I/O error') },
    ]);
  });

  it('rejects a caller the commit gave no outcome', async () => {
    const group = createGroupCommit<number, number>(() => [10]);
    const results = await Promise.allSettled([group.submit(1), group.submit(2)]);
    expect(results.map((result) => result.status)).toEqual(['fulfilled', 'rejected']);
  });

  it('answers only once the commit is on disk', async () => {
    const { batches, commit } = recordingCommit();
    let synced: () => void = () => {};
    const group = createGroupCommit(commit, {
      durable: () =>
        new Promise<void>((resolve) => {
          synced = resolve;
        }),
    });
    let answered = false;
    const result = group.submit(4).then((value) => {
      answered = true;
      return value;
    });
    await new Promise((resolve) => setImmediate(resolve));
    expect(batches).toEqual([[4]]);
    expect(answered).toBe(false);
    synced();
    expect(await result).toBe(8);
  });

  it('rejects every caller of a batch whose sync fails: committed, but not acknowledged', async () => {
    const group = createGroupCommit(recordingCommit().commit, {
      durable: () => Promise.reject(new Error('EIO: i/o error, fdatasync')),
    });
    const results = await Promise.allSettled([group.submit(1), group.submit(2)]);
    expect(results.map((result) => result.status)).toEqual(['rejected', 'rejected']);
  });

  it('answers an asynchronous commit (PostgreSQL) once it resolves, and retries a failed batch item by item', async () => {
    const { batches, commit } = recordingCommit();
    const group = createGroupCommit<number, number>(async (items) => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      if (items.includes(0)) throw new Error('connection terminated');
      return commit(items);
    });
    let answered = false;
    const result = group.submit(5).then((value) => {
      answered = true;
      return value;
    });
    await new Promise((resolve) => setImmediate(resolve));
    expect(answered).toBe(false);
    expect(await result).toBe(10);

    const failing = await Promise.allSettled([group.submit(0), group.submit(1)]);
    expect(failing).toEqual([
      { status: 'rejected', reason: new Error('connection terminated') },
      { status: 'fulfilled', value: 2 },
    ]);
    expect(batches).toEqual([[5], [1]]);
  });

  it('commits what is queued at once when flushed', () => {
    const { batches, commit } = recordingCommit();
    const group = createGroupCommit(commit);
    void group.submit(1);
    void group.submit(2);
    group.flush();
    expect(batches).toEqual([[1, 2]]);
    group.flush();
    expect(batches).toHaveLength(1);
  });

  it('splits a burst at the batch limit, lets the event loop turn between batches, and never splits an item (issue 14)', async () => {
    const { batches, commit } = recordingCommit();
    const group = createGroupCommit(commit, { batchLimit: { max: 10, sizeOf: (item) => item } });
    const order: string[] = [];
    const results = Promise.all([4, 5, 3, 12, 1].map((item) => group.submit(item)));
    // Queued after the burst: runs between its batches, as a /healthz request would.
    setImmediate(() => order.push(`other work after ${batches.length} batch(es)`));

    expect(await results).toEqual([8, 10, 6, 24, 2]);
    // 4 + 5 fit, 3 would pass 10; 12 is more than a batch holds, and goes alone, whole.
    expect(batches).toEqual([[4, 5], [3], [12], [1]]);
    expect(order).toEqual(['other work after 1 batch(es)']);
  });

  it('flushes every batch a limit left waiting', async () => {
    const { batches, commit } = recordingCommit();
    const group = createGroupCommit(commit, { batchLimit: { max: 2, sizeOf: () => 1 } });
    const results = Promise.all([1, 2, 3, 4, 5].map((item) => group.submit(item)));
    await group.flush();
    expect(batches).toEqual([[1, 2], [3, 4], [5]]);
    expect(await results).toEqual([2, 4, 6, 8, 10]);
  });
});
