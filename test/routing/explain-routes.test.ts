import { describe, expect, it } from 'vitest';
import { explainRoutes, verdictOf } from '../../src/routing/explain-routes.js';
import { compileRoutes } from '../../src/routing/route-event.js';
import { review, route } from './routes-fixtures.js';

describe('explainRoutes', () => {
  it('gives each condition, whether it is met, and what the event has there', () => {
    const [explained] = explainRoutes(
      [
        route({
          name: 'approvals',
          match: {
            events: ['use_case_review_*'],
            useCases: ['UC9'],
            where: { status: ['approved'], 'x.y': [1] },
          },
          to: ['gov'],
        }),
      ],
      review,
    );
    expect(explained).toMatchObject({ name: 'approvals', outcome: 'unmatched', to: ['gov'] });
    expect(explained?.checks).toEqual([
      { condition: 'event type is use_case_review_*', met: true, actual: 'use_case_review_status_updated' },
      { condition: 'use case is UC9', met: false, actual: 'UC1' },
      { condition: 'status is approved', met: true, actual: 'approved' },
      { condition: 'x.y is 1', met: false, actual: undefined },
    ]);
  });

  it('follows the router: first match wins, continue goes on, a later match is passed over', () => {
    const routes = [
      route({ match: { events: ['use_case_review_comment'] }, to: ['comments'] }),
      route({ to: ['all'], continue: true }),
      route({ to: ['gov'] }),
      route({ to: ['late'] }),
    ];
    const explained = explainRoutes(routes, review);
    expect(explained.map((r) => [r.name, r.outcome])).toEqual([
      ['routes[0]', 'unmatched'],
      ['routes[1]', 'sends'],
      ['routes[2]', 'sends'],
      ['routes[3]', 'search-ended'],
    ]);
    const sent = explained.filter((r) => r.outcome === 'sends').flatMap((r) => r.to);
    expect(compileRoutes(routes)(review).map((d) => d.destination)).toEqual(sent);
  });

  it('says each outcome in words', () => {
    const [unmatched, sends, ended] = explainRoutes(
      [route({ match: { events: ['nope'] }, to: ['a'] }), route({ to: ['b', 'c'] }), route({ to: ['d'] })],
      review,
    ).map(verdictOf);
    expect(unmatched).toBe('does not match');
    expect(sends).toBe('matches: sends to b, c');
    expect(ended).toBe('matches, but an earlier route without continue ended the search');
  });
});
