import type { z } from 'zod';
import { closestMatch } from './closest-match.js';
import type { Problem } from './problem.js';

/**
 * Messages for what zod only calls "Invalid input". Passed as the `error` map of a parse, so a
 * message written on a schema still wins. Values are named by kind, not echoed: a misplaced
 * secret must not end up in a terminal or a log.
 */
export const issueMessage: z.core.$ZodErrorMap = (issue) => {
  switch (issue.code) {
    case 'invalid_type':
      return issue.input === undefined
        ? `missing; expected ${kindName(issue.expected)}`
        : `expected ${kindName(issue.expected)}, got ${describeValue(issue.input)}`;
    case 'invalid_value':
      return `expected ${issue.values.length === 1 ? '' : 'one of '}${issue.values.map(String).join(', ')}${hint(issue.input, issue.values)}`;
    case 'too_small':
      return sizeMessage('at least', 'more than', issue.origin, issue.minimum, issue.inclusive);
    case 'too_big':
      return sizeMessage('at most', 'less than', issue.origin, issue.maximum, issue.inclusive);
    case 'invalid_format':
      return issue.format === 'regex' ? `must match ${issue.pattern}` : `must be a valid ${issue.format}`;
    case 'invalid_union':
      return 'matches none of the accepted forms';
    default:
      return undefined;
  }
};

/**
 * One problem per thing to fix. An unknown key becomes its own line, at its own path, with the
 * closest known key as a hint; an invalid record key carries the reason its name was refused.
 */
export function describeIssues(issues: readonly z.core.$ZodIssue[], schema: z.core.$ZodType): Problem[] {
  return issues.flatMap((issue): Problem[] => {
    if (issue.code === 'unrecognized_keys') {
      const known = knownKeysAt(schema, issue.path);
      return issue.keys.map((key) => ({
        path: [...issue.path, key],
        message: unknownKeyMessage(key, known),
      }));
    }
    if (issue.code === 'invalid_key') {
      return [
        { path: issue.path, message: `invalid name: ${issue.issues.map((i) => i.message).join('; ')}` },
      ];
    }
    return [{ path: issue.path, message: issue.message }];
  });
}

function unknownKeyMessage(key: string, known: readonly string[]): string {
  const suggestion = closestMatch(key, known);
  const list = known.join(', ');
  return suggestion === undefined
    ? `unknown key; known keys: ${list}`
    : `unknown key; did you mean "${suggestion}"? Known keys: ${list}`;
}

/** The keys the object schema at `path` accepts (zod's issue does not carry them). */
function knownKeysAt(schema: z.core.$ZodType, path: readonly PropertyKey[]): string[] {
  const node = schemaAt(schema, path);
  return node?._zod.def.type === 'object' ? Object.keys((node as z.core.$ZodObject)._zod.def.shape) : [];
}

function schemaAt(schema: z.core.$ZodType, path: readonly PropertyKey[]): z.core.$ZodType | undefined {
  const node = unwrap(schema);
  const [key, ...rest] = path;
  if (key === undefined) return node;
  const def = (node as z.core.$ZodTypes)._zod.def;
  switch (def.type) {
    case 'object': {
      const child = typeof key === 'string' ? def.shape[key] : undefined;
      return child && schemaAt(child, rest);
    }
    case 'array':
      return schemaAt(def.element, rest);
    case 'record':
      return schemaAt(def.valueType, rest);
    default:
      return undefined;
  }
}

/** Looks through defaults, optionals and pipes to the schema that holds the keys. */
function unwrap(schema: z.core.$ZodType): z.core.$ZodType {
  const def = (schema as z.core.$ZodTypes)._zod.def;
  switch (def.type) {
    case 'default':
    case 'prefault':
    case 'optional':
    case 'nullable':
      return unwrap(def.innerType);
    case 'pipe':
      return unwrap(def.in._zod.def.type === 'transform' ? def.out : def.in);
    default:
      return schema;
  }
}

function hint(input: unknown, values: readonly unknown[]): string {
  if (typeof input !== 'string') return '';
  const suggestion = closestMatch(input, values.map(String));
  return suggestion === undefined ? '' : `; did you mean "${suggestion}"?`;
}

const KIND_NAMES: Readonly<Record<string, string>> = {
  string: 'a string',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  array: 'a list',
  object: 'a mapping (key: value)',
  record: 'a mapping (key: value)',
};

function kindName(expected: string): string {
  return KIND_NAMES[expected] ?? expected;
}

function describeValue(value: unknown): string {
  if (value === null) return 'an empty value';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (typeof value === 'object') return 'a mapping';
  return `a ${typeof value}`;
}

function sizeMessage(
  inclusiveBound: string,
  exclusiveBound: string,
  origin: string,
  limit: number | bigint,
  inclusive = true,
): string {
  const bound = `${inclusive ? inclusiveBound : exclusiveBound} ${limit}`;
  if (origin === 'string') return `must be ${bound} characters long`;
  if (origin === 'array') return `must list ${bound} ${limit === 1 ? 'item' : 'items'}`;
  return `must be ${bound}`;
}
