import { closestMatch, editDistance } from '../../config/closest-match.js';
import type { Config, Route } from '../../config/schema.js';
import { EVENT_TYPES, type KnownEventType } from '../../events/event-types.js';
import { eventDataSchemas } from '../../events/schemas.js';
import type { TemplateSample } from '../../render/check-templates.js';
import { eventTypeMatcher } from '../../routing/route-event.js';
import { type Finding, warning } from './finding.js';

/**
 * What the schema cannot see in a route: an event name or glob that matches no event type, and
 * a `where` field that none of its event types has. Both are valid YAML that silently turn a
 * route off, so they are warnings (errors with `check --strict`).
 */
export function lintRoutes(config: Config, samples: readonly TemplateSample[]): Finding[] {
  return config.routes.flatMap((route, index) => {
    const where = routeLabel(route, index);
    const patternFindings = route.match.events.flatMap((pattern, j) =>
      typesMatching(pattern).length > 0
        ? []
        : [warning(`${where}.match.events[${j}]`, unknownPatternMessage(pattern, config))],
    );
    return [...patternFindings, ...lintWhere(route, where, samples)];
  });
}

export function routeLabel(route: Route, index: number): string {
  return route.name ? `routes[${index}] ("${route.name}")` : `routes[${index}]`;
}

/** The known types a glob or name matches, by the router's own matching. */
export function typesMatching(pattern: string): KnownEventType[] {
  return EVENT_TYPES.filter(eventTypeMatcher([pattern]));
}

function unknownPatternMessage(pattern: string, config: Config): string {
  const bare = withoutAffixes(pattern, config);
  if (bare !== pattern && typesMatching(bare).length > 0) {
    return `"${pattern}" carries the webhook's prefix or suffix; routes match the bare type: write "${bare}"`;
  }
  return `"${pattern}" matches no known event type; the closest is "${closestType(pattern)}"`;
}

function withoutAffixes(pattern: string, config: Config): string {
  const { eventTypePrefix: prefix, eventTypeSuffix: suffix } = config.credo;
  let bare = pattern;
  if (prefix && bare.startsWith(`${prefix}.`)) bare = bare.slice(prefix.length + 1);
  if (suffix && bare.endsWith(`.${suffix}`)) bare = bare.slice(0, -(suffix.length + 1));
  // A prefix or suffix other than the configured one still reads as `Prefix.type.suffix`.
  return bare.includes('.') ? (bare.split('.').find((part) => part.startsWith('use_case_')) ?? bare) : bare;
}

/** For a glob, the type whose start is nearest to the glob's literal part; for a name, the nearest type. */
function closestType(pattern: string): string {
  const literal = pattern.replaceAll('*', '');
  const glob = pattern.includes('*');
  const distance = (type: string) => editDistance(literal, glob ? type.slice(0, literal.length) : type);
  return [...EVENT_TYPES].sort((a, b) => distance(a) - distance(b))[0] ?? EVENT_TYPES[0];
}

function lintWhere(route: Route, where: string, samples: readonly TemplateSample[]): Finding[] {
  const types = [...new Set(route.match.events.flatMap(typesMatching))];
  if (types.length === 0) return [];
  const fields = [...new Set(types.flatMap((type) => fieldsOf(type, samples)))];
  return Object.keys(route.match.where ?? {}).flatMap((path) => {
    const field = path.split('.')[0] ?? path;
    if (fields.includes(field)) return [];
    const closest = closestMatch(field, fields);
    const hint = closest ? `did you mean "${closest}"? ` : '';
    return [
      warning(
        `${where}.match.where.${path}`,
        `no event this route matches has a field "${field}"; ${hint}they have: ${fields.sort().join(', ')}`,
      ),
    ];
  });
}

/** The fields of an event type's `data`: its schema's, and those its sample events carry. */
function fieldsOf(type: KnownEventType, samples: readonly TemplateSample[]): string[] {
  const schema = eventDataSchemas[type] as { shape?: Record<string, unknown> };
  const sampled = samples
    .filter((sample) => sample.input.event.type === type)
    .flatMap((sample) => Object.keys(sample.input.event.data));
  return [...Object.keys(schema.shape ?? {}), ...sampled];
}
