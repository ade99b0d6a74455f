#!/usr/bin/env node
/**
 * `npm test`: builds dist/ first (the end-to-end tests run dist/cli.js), then runs vitest and,
 * at the same time, the checks that need no build: type-check, biome and the import-cycle
 * check. Run one after the other, those checks held vitest back by about 10 s of a machine's
 * two cores; next to it, they use the core a test waiting on a child process leaves idle.
 *
 * vitest prints as it goes; each check's output is kept and printed whole after vitest's, under
 * its name, so that nothing interleaves. Exits 1 if anything failed, after naming what.
 */
import { spawn } from 'node:child_process';

const CHECKS = [
  { name: 'typecheck', command: 'npm', args: ['run', 'typecheck', '--silent'] },
  { name: 'lint', command: 'npm', args: ['run', 'lint', '--silent'] },
  { name: 'cycles', command: 'npm', args: ['run', 'cycles', '--silent'] },
];

/** Runs a command with its output shown as it comes; resolves with its exit code. */
function runShown(command, args) {
  return new Promise((resolve) => {
    spawn(command, args, { stdio: 'inherit' })
      .on('error', () => resolve(1))
      .on('exit', (code) => resolve(code ?? 1));
  });
}

/** Runs a check with its output kept; resolves with its name, exit code and output. */
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

if ((await runShown('npm', ['run', 'build', '--silent'])) !== 0) {
  process.stdout.write('\nnpm test: the build failed, so no test ran.\n');
  process.exit(1);
}
const checks = CHECKS.map(runKept);
const vitest = { name: 'vitest', code: await runShown('npx', ['vitest', 'run', ...process.argv.slice(2)]) };
for (const { name, code, output } of await Promise.all(checks)) {
  process.stdout.write(`\n── ${name}: ${code === 0 ? 'ok' : `FAILED (exit ${code})`}\n`);
  if (output) process.stdout.write(`${output}\n`);
}
const failed = [vitest, ...(await Promise.all(checks))].filter(({ code }) => code !== 0);
if (failed.length > 0) {
  process.stdout.write(`\nnpm test failed: ${failed.map(({ name }) => name).join(', ')}.\n`);
  process.exit(1);
}
