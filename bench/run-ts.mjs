// Runs a TypeScript entry point of the bench, e.g. `node bench/run-ts.mjs bench/bench.ts --short`,
// through Vite's module runner (installed with vitest): the bench then uses the test helpers as
// they are, assets and all, without a build of its own.
import { resolve } from 'node:path';
import { runnerImport } from 'vite';

const [entry] = process.argv.splice(2, 1);
if (!entry) {
  process.stderr.write('usage: node bench/run-ts.mjs <entry.ts> [arguments]\n');
  process.exit(2);
}
await runnerImport(resolve(entry), { configFile: false, logLevel: 'error' });
