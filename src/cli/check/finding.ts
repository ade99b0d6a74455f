/**
 * One thing `check` has to say. An error fails the check; a warning fails it only with
 * `--strict`; a note is advice and never fails it.
 */
export interface Finding {
  level: 'error' | 'warning' | 'note';
  /** The config key or file it is about, e.g. `routes[0] ("reviews").match.events[1]`. */
  where: string;
  message: string;
}

export const error = (where: string, message: string): Finding => ({ level: 'error', where, message });
export const warning = (where: string, message: string): Finding => ({ level: 'warning', where, message });
export const note = (where: string, message: string): Finding => ({ level: 'note', where, message });

export function formatFinding(finding: Finding): string {
  return `  - ${finding.level}: ${finding.where}: ${finding.message}`;
}

/** Whether the findings fail the check. */
export function fails(findings: readonly Finding[], strict: boolean): boolean {
  return findings.some((f) => f.level === 'error' || (strict && f.level === 'warning'));
}
