/**
 * The error of class `type` that `run` throws. Fails the test when `run` throws nothing; any
 * other error is thrown on, as the test's failure.
 */
export function thrownBy<E extends Error>(run: () => unknown, type: abstract new (...args: never[]) => E): E {
  try {
    run();
  } catch (error) {
    if (error instanceof type) return error;
    throw error;
  }
  throw new Error(`expected a ${type.name} to be thrown, but nothing was`);
}
