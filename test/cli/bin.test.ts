import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';

const BIN = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));

// `npx credo-notify …` runs the built file itself, as the README's replay step does on a fresh clone.
it('runs as a command of its own after the build, as npx starts it', async () => {
  const { stdout } = await promisify(execFile)(BIN, ['--help']);
  expect(stdout).toContain('Usage: credo-notify');
});
