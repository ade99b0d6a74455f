/**
 * Group commit: writes that arrive in one turn of the event loop share one transaction, and on
 * SQLite the commits share the sync that puts them on disk. Every caller still hears back only
 * once its own write is committed and durable.
 */

type Outcome<Result> = { ok: true; value: Result } | { ok: false; error: unknown };

/**
 * Writes a batch in one transaction and returns each item's result, in order. Throwing (or
 * rejecting) means nothing was committed: each item is then committed again in a batch of its
 * own, so that a bad one is refused alone and the others go in. A synchronous commit has run by
 * the time the next batch starts; asynchronous ones may overlap.
 */
export type CommitBatch<Item, Result> = (items: readonly Item[]) => Result[] | Promise<Result[]>;

export interface GroupCommitOptions<Item> {
  /** Resolves once what was committed before the call is on disk; callers hear back only then. */
  durable?: () => Promise<void>;
  /**
   * How much one batch holds, counted by `sizeOf` its items: once it reaches `max`, the items
   * left wait for a later turn of the event loop, so that a burst is written in several short
   * transactions rather than one that holds the event loop. An item is never split: one bigger
   * than `max` is a batch alone.
   */
  batchLimit?: { max: number; sizeOf: (item: Item) => number };
}

export interface GroupCommit<Item, Result> {
  /** Queues the item for the next commit and settles once that commit is durable. */
  submit(item: Item): Promise<Result>;
  /** Commits what is queued now, and waits until every commit so far is durable and answered. */
  flush(): Promise<void>;
}

interface Waiter<Item, Result> {
  item: Item;
  resolve: (value: Result) => void;
  reject: (error: unknown) => void;
}

export function createGroupCommit<Item, Result>(
  commitBatch: CommitBatch<Item, Result>,
  options: GroupCommitOptions<Item> = {},
): GroupCommit<Item, Result> {
  const durable = options.durable ?? (() => Promise.resolve());
  const waiting: Waiter<Item, Result>[] = [];
  let scheduled: NodeJS.Immediate | undefined;
  const answering = new Set<Promise<void>>();

  function commit(): void {
    clearImmediate(scheduled);
    scheduled = undefined;
    const batch = takeBatch();
    if (batch.length === 0) return;
    if (waiting.length > 0) scheduled = setImmediate(commit);
    const answered = commitDurably(batch.map((waiter) => waiter.item)).then((outcomes) =>
      answer(batch, outcomes),
    );
    answering.add(answered);
    void answered.finally(() => answering.delete(answered));
  }

  /** The first waiters, up to the batch limit: at least one, so that every item goes in. */
  function takeBatch(): Waiter<Item, Result>[] {
    const limit = options.batchLimit;
    if (limit === undefined) return waiting.splice(0);
    let taken = 0;
    let size = 0;
    for (const waiter of waiting) {
      const itemSize = limit.sizeOf(waiter.item);
      if (taken > 0 && size + itemSize > limit.max) break;
      size += itemSize;
      taken += 1;
    }
    return waiting.splice(0, taken);
  }

  async function commitDurably(items: readonly Item[]): Promise<Outcome<Outcome<Result>[]>> {
    try {
      // A synchronous commit runs right here, in this turn: the sync below comes after it.
      const outcomes = await commitEach(items);
      // A failed sync leaves the batch committed but maybe not on disk: not acknowledged, so
      // the senders will try again.
      await durable();
      return { ok: true, value: outcomes };
    } catch (error) {
      return { ok: false, error };
    }
  }

  /** The batch at once; should that fail, item by item (rare: only a failing batch pays). */
  async function commitEach(items: readonly Item[]): Promise<Outcome<Result>[]> {
    try {
      return (await commitBatch(items)).map((value) => ({ ok: true, value }));
    } catch (error) {
      if (items.length === 1) throw error;
      return Promise.all(
        items.map((item) =>
          commitEach([item]).then(
            ([outcome]) => outcome ?? noResult(),
            (failure: unknown): Outcome<Result> => ({ ok: false, error: failure }),
          ),
        ),
      );
    }
  }

  return {
    submit(item) {
      return new Promise<Result>((resolve, reject) => {
        waiting.push({ item, resolve, reject });
        // setImmediate runs after the I/O callbacks of this turn: every request already read is in the batch.
        scheduled ??= setImmediate(commit);
      });
    },
    async flush() {
      // A batch limit leaves items for later batches: flushed too, until none waits.
      do {
        commit();
        await Promise.all(answering);
      } while (waiting.length > 0);
    },
  };
}

function answer<Item, Result>(
  batch: readonly Waiter<Item, Result>[],
  outcomes: Outcome<Outcome<Result>[]>,
): void {
  batch.forEach((waiter, index) => {
    const outcome = (outcomes.ok ? outcomes.value[index] : outcomes) ?? noResult();
    if (outcome.ok) waiter.resolve(outcome.value);
    else waiter.reject(outcome.error);
  });
}

function noResult(): Outcome<never> {
  return { ok: false, error: new Error('the commit reported no result for this item') };
}
