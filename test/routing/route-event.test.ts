import { describe, expect, it } from 'vitest';
import { compileRoutes } from '../../src/routing/route-event.js';
import { review, route } from './routes-fixtures.js';

const comment = {
  type: 'use_case_review_comment' as const,
  data: { useCaseId: 'UC2', reviewId: 'R2', comment: 'hi', taggedUsers: [] },
};
const destinations = (router: ReturnType<typeof compileRoutes>, event: typeof review | typeof comment) =>
  router(event).map((d) => d.destination);

describe('routing', () => {
  it('stops at the first matching route', () => {
    const router = compileRoutes([route({ to: ['a'] }), route({ to: ['b'] })]);
    expect(destinations(router, review)).toEqual(['a']);
  });

  it('goes on past a route that says continue', () => {
    const router = compileRoutes([
      route({ to: ['a'], continue: true }),
      route({ to: ['b'] }),
      route({ to: ['c'] }),
    ]);
    expect(destinations(router, review)).toEqual(['a', 'b']);
  });

  it('matches event names and globs', () => {
    const router = compileRoutes([
      route({ match: { events: ['use_case_review_comment'] }, to: ['comments'] }),
      route({ match: { events: ['use_case_review_*'] }, to: ['reviews'] }),
    ]);
    expect(destinations(router, comment)).toEqual(['comments']);
    expect(destinations(router, review)).toEqual(['reviews']);
  });

  it('treats glob metacharacters other than * literally', () => {
    const router = compileRoutes([route({ match: { events: ['use_case.review*'] }, to: ['x'] })]);
    expect(destinations(router, review)).toEqual([]);
  });

  it('filters on data fields, dotted paths and list values', () => {
    const router = compileRoutes([
      route({ match: { events: ['*'], where: { status: ['approved', 'rejected'] } }, to: ['decisions'] }),
      route({ match: { events: ['*'], where: { 'user.role': ['admin'] } }, to: ['admins'] }),
      route({ match: { events: ['*'], where: { regions: ['EU'] } }, to: ['eu'] }),
    ]);
    expect(destinations(router, review)).toEqual(['decisions']);
    expect(
      router({ type: 'use_case_name_updated', data: { useCaseId: 'U', user: { role: 'admin' } } }),
    ).toHaveLength(1);
    expect(
      destinations(router, {
        type: 'use_case_regions_updated',
        data: { useCaseId: 'U', regions: ['US', 'EU'] },
      } as never),
    ).toEqual(['eu']);
    expect(router({ type: 'use_case_name_updated', data: { useCaseId: 'U' } })).toEqual([]);
  });

  it('compares YAML scalars with event values by their text', () => {
    const router = compileRoutes([
      route({ match: { events: ['*'], where: { is_vendor: [true] } }, to: ['vendors'] }),
    ]);
    expect(
      router({ type: 'use_case_is_vendor_updated', data: { useCaseId: 'U', is_vendor: 'true' } }),
    ).toHaveLength(1);
    expect(
      router({ type: 'use_case_is_vendor_updated', data: { useCaseId: 'U', is_vendor: false } }),
    ).toHaveLength(0);
  });

  it('limits a route to its use cases', () => {
    const router = compileRoutes([route({ match: { events: ['*'], useCases: ['UC1'] }, to: ['uc1'] })]);
    expect(destinations(router, review)).toEqual(['uc1']);
    expect(destinations(router, comment)).toEqual([]);
  });

  it('sends one message per destination even when two routes reach it', () => {
    const router = compileRoutes([
      route({ name: 'first', to: ['a', 'b'], continue: true, template: 'special' }),
      route({ name: 'second', to: ['b', 'c'] }),
    ]);
    expect(router(review)).toEqual([
      { route: 'first', destination: 'a', template: 'special', thread: 'none' },
      { route: 'first', destination: 'b', template: 'special', thread: 'none' },
      { route: 'second', destination: 'c', template: undefined, thread: 'none' },
    ]);
  });

  it('routes unknown event types through catch-all routes only', () => {
    const router = compileRoutes([
      route({ match: { events: ['use_case_*'] }, to: ['known'] }),
      route({ match: { events: ['*'] }, to: ['all'] }),
    ]);
    expect(router({ type: 'unknown', data: {} }).map((d) => d.destination)).toEqual(['all']);
  });

  it('names unnamed routes by position', () => {
    expect(compileRoutes([route({ to: ['a'] })])(review)[0]?.route).toBe('routes[0]');
  });
});
