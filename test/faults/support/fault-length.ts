/**
 * `npm run test:faults` runs the fault suite at full length (its vitest config sets
 * CREDO_NOTIFY_FAULTS=long); `npm test` runs the same faults, shorter.
 */
export const LONG_FAULTS = process.env.CREDO_NOTIFY_FAULTS === 'long';

export function byLength<T>(short: T, long: T): T {
  return LONG_FAULTS ? long : short;
}
