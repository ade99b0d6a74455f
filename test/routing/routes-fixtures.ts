import type { Route } from '../../src/config/schema.js';

/** A route as the config schema fills it in: every event, no thread, first match wins. */
export const route = (r: Partial<Route> & Pick<Route, 'to'>): Route => ({
  match: { events: ['*'] },
  thread: 'none',
  continue: false,
  ...r,
});

/** A review status update, as routing reads it. */
export const review = {
  type: 'use_case_review_status_updated' as const,
  data: { useCaseId: 'UC1', reviewId: 'R1', status: 'approved' },
};
