import type { z } from 'zod';

/** One reason a payload was refused, safe to return to the sender: `data.taggedUsers[0].user_id`. */
export interface ValidationIssue {
  path: string;
  message: string;
}

export type Validated<T> = { ok: true; data: T } | { ok: false; issues: ValidationIssue[] };

/** `root` names where the validated value sits in the delivery, such as `data`. */
export function toValidated<T>(result: z.ZodSafeParseResult<T>, root: string): Validated<T> {
  if (result.success) {
    return { ok: true, data: result.data };
  }
  return {
    ok: false,
    issues: result.error.issues.map((issue) => ({
      path: formatPath(root, issue.path),
      message: issue.message,
    })),
  };
}

function formatPath(root: string, path: readonly PropertyKey[]): string {
  return path.reduce<string>(
    (joined, key) => (typeof key === 'number' ? `${joined}[${key}]` : `${joined}.${String(key)}`),
    root,
  );
}
