import type { Route } from '../config/schema.js';
import type { CredoEvent } from '../events/credo-event.js';
import { explainMatch, type MatchCheck, routeName } from './route-event.js';

/**
 * - `sends`: every condition is met and the search reached the route: it sends to its `to`.
 * - `unmatched`: some condition is not met.
 * - `search-ended`: it matches, but an earlier matching route without `continue` ended the search.
 */
export type RouteOutcome = 'sends' | 'unmatched' | 'search-ended';

/** Why one route does or does not take an event. */
export interface RouteExplanation {
  name: string;
  outcome: RouteOutcome;
  checks: MatchCheck[];
  to: readonly string[];
  continue: boolean;
}

/**
 * Every route's answer for an event, in config order, with the search rule of `compileRoutes`
 * (the first match wins unless it says `continue`): the route tester's and `credo-notify
 * route`'s account of what the router decides.
 */
export function explainRoutes(routes: readonly Route[], event: CredoEvent): RouteExplanation[] {
  let searching = true;
  return routes.map((route, index) => {
    const checks = explainMatch(route.match, event);
    const matched = checks.every((check) => check.met);
    const outcome: RouteOutcome = !matched ? 'unmatched' : searching ? 'sends' : 'search-ended';
    if (matched && !route.continue) searching = false;
    return { name: routeName(route, index), outcome, checks, to: route.to, continue: route.continue };
  });
}

/** A route's outcome as a person reads it, the same words in the console and on the command line. */
export function verdictOf(route: RouteExplanation): string {
  switch (route.outcome) {
    case 'unmatched':
      return 'does not match';
    case 'sends':
      return `matches: sends to ${route.to.join(', ')}${route.continue ? ', and the next routes are tried' : ''}`;
    case 'search-ended':
      return 'matches, but an earlier route without continue ended the search';
  }
}
