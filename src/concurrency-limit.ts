/**
 * Runs at most `max` tasks at once; the others wait, first come first served. For calls whose
 * number the outside world decides (the people a comment names), so that a burst of them is a
 * queue here rather than thousands of sockets and their buffers (issue 14).
 */
export type ConcurrencyLimit = <T>(task: () => Promise<T>) => Promise<T>;

export function createConcurrencyLimit(max: number): ConcurrencyLimit {
  let running = 0;
  const waiting: Array<() => void> = [];
  /** A finished task hands its slot to the first one waiting, if any. */
  const release = () => {
    const turn = waiting.shift();
    if (turn) turn();
    else running -= 1;
  };
  return async (task) => {
    if (running < max) running += 1;
    else await new Promise<void>((turn) => waiting.push(turn));
    try {
      return await task();
    } finally {
      release();
    }
  };
}
