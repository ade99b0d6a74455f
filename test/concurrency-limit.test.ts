import { describe, expect, it } from 'vitest';
import { createConcurrencyLimit } from '../src/concurrency-limit.js';

/** A task that runs until the test lets it finish (or fail). */
function heldTask() {
  let finish: (value: string) => void = () => {};
  let fail: (error: Error) => void = () => {};
  const result = new Promise<string>((resolve, reject) => {
    finish = resolve;
    fail = reject;
  });
  return { run: () => result, finish, fail };
}

const turn = () => new Promise((resolve) => setImmediate(resolve));

describe('concurrency limit', () => {
  it('runs at most max tasks at once, the others in the order they came, each with its own answer', async () => {
    const limit = createConcurrencyLimit(2);
    const tasks = Array.from({ length: 5 }, heldTask);
    const started: number[] = [];
    const answers = tasks.map((task, i) =>
      limit(() => {
        started.push(i);
        return task.run();
      }),
    );
    const settled = Promise.allSettled(answers);
    await turn();
    expect(started).toEqual([0, 1]);

    tasks[1]?.finish('one');
    await turn();
    expect(started).toEqual([0, 1, 2]);

    tasks[0]?.fail(new Error('zero failed'));
    await turn();
    // A failed task frees its place too.
    expect(started).toEqual([0, 1, 2, 3]);
    for (const [i, task] of tasks.entries()) if (i > 1) task.finish(`answer ${i}`);

    expect(await settled).toEqual([
      { status: 'rejected', reason: new Error('zero failed') },
      { status: 'fulfilled', value: 'one' },
      { status: 'fulfilled', value: 'answer 2' },
      { status: 'fulfilled', value: 'answer 3' },
      { status: 'fulfilled', value: 'answer 4' },
    ]);
    expect(started).toEqual([0, 1, 2, 3, 4]);
  });

  it('never runs more than max, whatever the mix of fast and slow tasks', async () => {
    const limit = createConcurrencyLimit(3);
    let running = 0;
    let most = 0;
    await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        limit(async () => {
          running += 1;
          most = Math.max(most, running);
          for (let wait = 0; wait < i % 4; wait++) await turn();
          running -= 1;
        }),
      ),
    );
    expect(most).toBe(3);
  });
});
