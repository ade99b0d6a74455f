import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** A user's `templates.dir` with these files (paths relative to it), in a fresh temp folder. */
export function userTemplatesDir(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'credo-notify-templates-'));
  for (const [path, source] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), source);
  }
  return dir;
}
