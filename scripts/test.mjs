#!/usr/bin/env node
/**
 * `npm test`: builds dist/ first (the end-to-end tests run dist/cli.js), then runs at the same
 * time the two lanes of vitest projects (vitest.config.ts) and the checks that need no build:
 * type-check, biome and the import-cycle check. Last, by itself, the `alone` project.
 *
 * Why lanes: in one vitest on a 2-core machine, files run one at a time, and most of the time a
 * core sits idle while a test waits on a child process. Two files at a time in one vitest pair
 * two process tests, which then hit their timeouts under load. Here the `isolated` files (real
 * processes) still run one at a time, next to the `shared` ones (in-process, CPU-bound).
 *
 * The isolated lane prints as it goes; the shared lane's and each check's output is kept and
 * printed whole after it, under its name, so that nothing interleaves. Arguments are vitest's
 * (file filters...). Exits 1 if anything failed, after naming what.
 */
import { spawn } from 'node:child_process';

const filters = process.argv.slice(2);
/** A filter may match no file of a project: that project then has nothing to say. */
const vitest = (project) => [
  'vitest',
  'run',
  '--project',
  project,
  ...filters,
  ...(filters.length > 0 ? ['--passWithNoTests'] : []),
];

const KEPT = [
  { name: 'vitest shared', command: 'npx', args: vitest('shared') },
  { name: 'typecheck', command: 'npm', args: ['run', 'typecheck', '--silent'] },
  { name: 'lint', command: 'npm', args: ['run', 'lint', '--silent'] },
  { name: 'cycles', command: 'npm', args: ['run', 'cycles', '--silent'] },
];

/** Runs a command with its output shown as it comes; resolves with its name and exit code. */
function runShown(name, command, args) {
  return new Promise((resolve) => {
    spawn(command, args, { stdio: 'inherit' })
      .on('error', () => resolve({ name, code: 1 }))
      .on('exit', (code) => resolve({ name, code: code ?? 1 }));
  });
}

/** Runs a command with its output kept; resolves with its name, exit code and output. */
function runKept({ name, command, args }) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const chunks = [];
    child.stdout.on('data', (chunk) => chunks.push(chunk));
    child.stderr.on('data', (chunk) => chunks.push(chunk));
    child.on('error', (error) => chunks.push(Buffer.from(String(error))));
    child.on('close', (code) =>
      resolve({ name, code: code ?? 1, output: Buffer.concat(chunks).toString('utf8').trimEnd() }),
    );
  });
}

if ((await runShown('build', 'npm', ['run', 'build', '--silent'])).code !== 0) {
  process.stdout.write('\nnpm test: the build failed, so no test ran.\n');
  process.exit(1);
}
const kept = Promise.all(KEPT.map(runKept));
const isolated = await runShown('vitest isolated', 'npx', vitest('isolated'));
const keptResults = await kept;
for (const { name, code, output } of keptResults) {
  process.stdout.write(`\n── ${name}: ${code === 0 ? 'ok' : `FAILED (exit ${code})`}\n`);
  if (output) process.stdout.write(`${output}\n`);
}
const alone = await runShown('vitest alone', 'npx', vitest('alone'));
const failed = [isolated, ...keptResults, alone].filter(({ code }) => code !== 0);
if (failed.length > 0) {
  process.stdout.write(`\nnpm test failed: ${failed.map(({ name }) => name).join(', ')}.\n`);
  process.exit(1);
}
