import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  version: string;
  dependencies: Record<string, string>;
};

/**
 * Issue #20: the package works where it is installed. `npm pack` makes the real tarball (from
 * the `dist/` that `npm test` has just built); it is unpacked as `npm install` would lay it
 * out, in node_modules/credo-notify of an empty project. A full `npm install` of the tarball
 * takes about 10 minutes here (better-sqlite3 builds from source and npm resolves every
 * dependency afresh), so the project's own node_modules stand in for the installed
 * dependencies; the test below checks that every package dist/ imports is a declared
 * dependency, so nothing only a dev dependency provides can hide behind them.
 */
let project: string;
let installed: string;
let files: string[];

beforeAll(async () => {
  project = mkdtempSync(join(tmpdir(), 'credo-notify-installed-'));
  const { stdout } = await run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', project], {
    cwd: ROOT,
  });
  const [packed] = JSON.parse(stdout) as Array<{ filename: string; files: Array<{ path: string }> }>;
  if (!packed) throw new Error('npm pack made no tarball');
  files = packed.files.map((file) => file.path);
  await run('tar', ['-xzf', join(project, packed.filename), '-C', project]);
  mkdirSync(join(project, 'node_modules', '.bin'), { recursive: true });
  installed = join(project, 'node_modules', 'credo-notify');
  renameSync(join(project, 'package'), installed);
  symlinkSync(join(ROOT, 'node_modules'), join(installed, 'node_modules'));
  symlinkSync('../credo-notify/dist/cli.js', join(project, 'node_modules', '.bin', 'credo-notify'));
}, 120_000);

afterAll(() => {
  rmSync(project, { recursive: true, force: true });
});

/** The installed command, from the project folder, as `npx credo-notify` runs it. */
async function credoNotify(...args: string[]) {
  try {
    const { stdout, stderr } = await run(join(project, 'node_modules', '.bin', 'credo-notify'), args, {
      cwd: project,
      env: { ...process.env, CREDO_WEBHOOK_SECRET: '' },
    });
    return { code: 0, stdout, stderr };
  } catch (failure) {
    const { code, stdout, stderr } = failure as { code: number; stdout: string; stderr: string };
    return { code, stdout, stderr };
  }
}

describe('the installed package', () => {
  it('ships what a user needs beside the code', () => {
    for (const file of [
      'LICENSE',
      'README.md',
      'credo-notify.example.yaml',
      '.env.example',
      'slack-app-manifest.yaml',
      'deploy/credo-notify.service',
      'docs/credo-ai.md',
      'docs/operations.md',
      'samples/events/use_case_review_comment.json',
      'templates/slack/default.hbs',
      'dist/cli.js',
    ]) {
      expect(files).toContain(file);
    }
    expect(files.filter((file) => file.startsWith('samples/events/')).length).toBeGreaterThan(10);
    expect(files.some((file) => file.startsWith('test/') || file.startsWith('src/'))).toBe(false);
  });

  it('prints its version', async () => {
    const result = await credoNotify('--version');
    expect(result).toMatchObject({ code: 0, stdout: `${pkg.version}\n` });
  });

  it('checks the quick start with the sample events it ships', async () => {
    const result = await credoNotify('check');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('OK: bundled quick-start config');
    expect(result.stdout).toMatch(/renders of (\d+) sample events/);
    expect(Number(/renders of (\d+) sample events/.exec(result.stdout)?.[1])).toBeGreaterThan(10);
  });

  it('checks the example config it ships: only its unset variables are wrong', async () => {
    const result = await credoNotify('check', '--config', join(installed, 'credo-notify.example.yaml'));
    // The variables are not set: every one is named, and nothing else is wrong.
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('CREDO_API_TOKEN is not set');
    expect(result.stderr).not.toContain('template');
  });

  it('fails check when it has no sample event to render', async () => {
    const samples = join(installed, 'samples');
    const aside = join(project, 'samples-aside');
    renameSync(samples, aside);
    try {
      const result = await credoNotify('check');
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(`sample events: none found in ${join(samples, 'events')}`);
    } finally {
      renameSync(aside, samples);
    }
  });

  it('imports only declared dependencies, so the linked node_modules hide nothing', () => {
    const imported = new Set<string>();
    for (const file of files.filter((f) => f.startsWith('dist/') && f.endsWith('.js'))) {
      const code = readFileSync(join(installed, file), 'utf8');
      for (const [, specifier] of code.matchAll(
        /(?:^|\n)\s*(?:import|export)[^'"]*?from\s+'([^'.][^']*)'/g,
      )) {
        if (specifier && !specifier.startsWith('node:')) imported.add(packageName(specifier));
      }
      for (const [, specifier] of code.matchAll(/import\('([^'.][^']*)'\)/g)) {
        if (specifier && !specifier.startsWith('node:')) imported.add(packageName(specifier));
      }
    }
    expect(imported.size).toBeGreaterThan(5);
    expect([...imported].filter((name) => !(name in pkg.dependencies))).toEqual([]);
  });
});

function packageName(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] ?? specifier);
}

describe('the systemd unit', () => {
  const unit = join(ROOT, 'deploy', 'credo-notify.service');

  it('reloads the way docs/operations.md says', () => {
    const reload = /^ExecReload=(.+)$/m.exec(readFileSync(unit, 'utf8'))?.[1];
    expect(reload).toBe('/bin/kill -HUP $MAINPID');
    expect(readFileSync(join(ROOT, 'docs', 'operations.md'), 'utf8')).toContain(`ExecReload=${reload}`);
  });

  // .ci/run installs systemd where it is missing; a developer's machine may not have it.
  const analyze = ['/usr/bin/systemd-analyze', '/bin/systemd-analyze'].find(existsSync);
  it.skipIf(analyze === undefined)('passes systemd-analyze verify', async () => {
    const { stderr } = await run(analyze as string, ['verify', unit]);
    expect(stderr).toBe('');
  });
});
