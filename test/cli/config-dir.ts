import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A fresh folder holding credo-notify.yaml and any other files (path -> text) beside it. */
export function configDir(yaml: string, files: Record<string, string> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'credo-notify-cli-'));
  writeFileSync(join(dir, 'credo-notify.yaml'), yaml);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

/** The smallest config a command runs with: unauthenticated deliveries, all to the console. */
export const CONSOLE_ONLY = `
credo:
  auth: { method: none }
destinations:
  out: { console: {} }
routes:
  - to: [out]
`;
