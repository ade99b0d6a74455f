/**
 * Group commit: writes that arrive while a commit is being prepared share it. With
 * synchronous=FULL each commit waits for the disk, so one commit per batch instead of one per
 * write is what keeps durable acceptance fast; every caller still hears back only once its own
 * write is committed.
 */

export type Outcome<Result> = { ok: true; value: Result } | { ok: false; error: unknown };

/**
 * Writes a batch in one transaction and tells how each item went. Throwing means the
 * transaction itself failed: then no item is committed and every caller is rejected.
 */
export type CommitBatch<Item, Result> = (items: readonly Item[]) => Outcome<Result>[];

export interface GroupCommit<Item, Result> {
  /** Queues the item for the next commit and settles once that commit has happened. */
  submit(item: Item): Promise<Result>;
  /** Commits what is queued now, without waiting for the next turn of the event loop. */
  flush(): void;
}

/** Runs `attempt` and captures its result or error, so one item's failure stays its own. */
export function settle<Result>(attempt: () => Result): Outcome<Result> {
  try {
    return { ok: true, value: attempt() };
  } catch (error) {
    return { ok: false, error };
  }
}

interface Waiter<Item, Result> {
  item: Item;
  resolve: (value: Result) => void;
  reject: (error: unknown) => void;
}

export function createGroupCommit<Item, Result>(
  commitBatch: CommitBatch<Item, Result>,
): GroupCommit<Item, Result> {
  let waiting: Waiter<Item, Result>[] = [];
  let scheduled: NodeJS.Immediate | undefined;

  function flush(): void {
    clearImmediate(scheduled);
    scheduled = undefined;
    const batch = waiting;
    waiting = [];
    if (batch.length === 0) return;
    const outcomes = settle(() => commitBatch(batch.map((waiter) => waiter.item)));
    batch.forEach((waiter, index) => {
      const outcome = outcomes.ok ? outcomes.value[index] : outcomes;
      if (outcome?.ok) waiter.resolve(outcome.value);
      else waiter.reject(outcome ? outcome.error : new Error('the commit reported no outcome for this item'));
    });
  }

  return {
    submit(item) {
      return new Promise<Result>((resolve, reject) => {
        waiting.push({ item, resolve, reject });
        // setImmediate runs after the I/O callbacks of this turn: every request already read is in the batch.
        scheduled ??= setImmediate(flush);
      });
    },
    flush,
  };
}
