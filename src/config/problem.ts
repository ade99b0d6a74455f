import { z } from 'zod';

/** One thing wrong with a config, at a key path such as `['routes', 1, 'to', 0]`. */
export interface Problem {
  path: readonly PropertyKey[];
  message: string;
}

/** `routes[1].to[0]: message`: the path written the way zod writes it, so users see one style. */
export function formatProblem(problem: Problem): string {
  const where = problem.path.length > 0 ? z.core.toDotPath(problem.path) : '(top level)';
  return `${where}: ${problem.message}`;
}

/** Whether `path` is `ancestor` or lies under it. */
export function isWithin(path: readonly PropertyKey[], ancestor: readonly PropertyKey[]): boolean {
  return ancestor.length <= path.length && ancestor.every((key, i) => key === path[i]);
}
