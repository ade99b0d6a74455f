/** Time as the code sees it, so tests of tolerance windows and backoff need no sleeping. */
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };
