#!/usr/bin/env node
/**
 * `npm test`: builds dist/ first (the end-to-end tests run dist/cli.js), then runs at the same
 * time the two lanes of vitest projects (vitest.config.ts) and the checks that need no build:
 * type-check, biome and the import-cycle check. Last, by itself, the `alone` project.
 *
 * Why lanes: in one vitest on a 2-core machine, files run one at a time, and most of the time a
 * core sits idle while a test waits on a child process. Two lanes of process tests, `servers` and
 * `commands`, each run their files one at a time, next to the `shared` ones (in-process,
 * CPU-bound): the three together kept about 1.2 of the 2 cores busy when the process tests were
 * one lane.
 *
 * The servers lane prints as it goes; the other lanes' and each check's output is kept and
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
  { name: 'vitest commands', command: 'npx', args: vitest('commands') },
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
const servers = await runShown('vitest servers', 'npx', vitest('servers'));
const keptResults = await kept;
for (const { name, code, output } of keptResults) {
  process.stdout.write(`\n── ${name}: ${code === 0 ? 'ok' : `FAILED (exit ${code})`}\n`);
  if (output) process.stdout.write(`${output}\n`);
}
const alone = await runShown('vitest alone', 'npx', vitest('alone'));
const failed = [servers, ...keptResults, alone].filter(({ code }) => code !== 0);
if (failed.length > 0) {
  process.stdout.write(`\nnpm test failed: ${failed.map(({ name }) => name).join(', ')}.\n`);
  process.exit(1);
}
