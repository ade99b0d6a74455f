import type { Route } from '../config/schema.js';
import type { CredoEvent } from '../events/credo-event.js';
import { useCaseIdOf } from '../events/event-fields.js';

/** What routing decides for one destination: which route sent it there and how to render it. */
export interface RoutedDelivery {
  route: string;
  destination: string;
  template?: string;
  thread: Route['thread'];
  digest?: Route['digest'];
}

export type Router = (event: CredoEvent) => RoutedDelivery[];

/**
 * Compiles the routes once into a pure function: no I/O, so it runs at receive time and the
 * delivery jobs commit in the same transaction as the event. Routes are tried in order; the
 * first match wins unless it says `continue`. A destination reached twice gets one message,
 * from the first route that reached it.
 */
export function compileRoutes(routes: readonly Route[]): Router {
  const compiled = routes.map((route, index) => ({
    route,
    name: routeName(route, index),
    matches: compileMatch(route.match),
  }));
  return (event) => {
    const deliveries = new Map<string, RoutedDelivery>();
    for (const { route, name, matches } of compiled) {
      if (!matches(event)) continue;
      for (const destination of route.to) {
        if (deliveries.has(destination)) continue;
        deliveries.set(destination, {
          route: name,
          destination,
          template: route.template,
          thread: route.thread,
          ...(route.digest && { digest: route.digest }),
        });
      }
      if (!route.continue) break;
    }
    return [...deliveries.values()];
  };
}

/** How routes without a `name` are called in logs, jobs and explanations: by their place. */
export function routeName(route: Route, index: number): string {
  return route.name ?? `routes[${index}]`;
}

/**
 * One condition of a route's `match`, whether an event meets it, and what the event has there
 * (undefined when it has nothing): what the route tester and `credo-notify route` show.
 */
export interface MatchCheck {
  condition: string;
  met: boolean;
  actual: unknown;
}

/** Which of a route's conditions does this event meet? The same checks routing runs. */
export function explainMatch(match: Route['match'], event: CredoEvent): MatchCheck[] {
  return compileChecks(match).map((check) => {
    const actual = check.read(event);
    return { condition: check.condition, met: check.test(actual), actual };
  });
}

function compileMatch(match: Route['match']): (event: CredoEvent) => boolean {
  const checks = compileChecks(match);
  return (event) => checks.every((check) => check.test(check.read(event)));
}

/** Each condition reads one value of the event and tests it, so an explanation can show the value. */
interface Check {
  condition: string;
  read: (event: CredoEvent) => unknown;
  test: (actual: unknown) => boolean;
}

function compileChecks(match: Route['match']): Check[] {
  const matchesType = eventTypeMatcher(match.events);
  const checks: Check[] = [
    {
      condition: `event type is ${match.events.join(' or ')}`,
      read: (event) => event.type,
      test: (type) => matchesType(String(type)),
    },
  ];
  if (match.useCases) {
    const useCases = new Set(match.useCases);
    checks.push({
      condition: `use case is ${match.useCases.join(' or ')}`,
      read: useCaseIdOf,
      test: (id) => useCases.has(typeof id === 'string' ? id : ''),
    });
  }
  for (const [path, allowed] of Object.entries(match.where ?? {})) {
    checks.push({
      condition: `${path} is ${allowed.map(String).join(' or ')}`,
      read: (event) => readPath(event.data, path),
      test: (actual) => valueMatches(actual, allowed),
    });
  }
  return checks;
}

/** Whether an event type is one of `patterns`: names and globs such as `use_case_review_*`. */
export function eventTypeMatcher(patterns: readonly string[]): (type: string) => boolean {
  const compiled = patterns.map(globToRegExp);
  return (type) => compiled.some((pattern) => pattern.test(type));
}

/** `use_case_review_*` → /^use_case_review_.*$/; every other character is literal. */
function globToRegExp(glob: string): RegExp {
  const source = glob
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${source}$`);
}

/** Reads `a.b.c` from nested objects; undefined when any step is missing. */
function readPath(data: Record<string, unknown>, path: string): unknown {
  let value: unknown = data;
  for (const key of path.split('.')) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

/**
 * YAML gives `true` or `3` where the event may carry `"true"` or `"3"`, so scalars compare by
 * their text. A list value (industries, regions) matches when any element is allowed.
 */
function valueMatches(actual: unknown, allowed: readonly unknown[]): boolean {
  if (Array.isArray(actual)) return actual.some((item) => valueMatches(item, allowed));
  if (actual === undefined) return false;
  return allowed.some((candidate) => candidate === actual || String(candidate) === String(actual));
}
