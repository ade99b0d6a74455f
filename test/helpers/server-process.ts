import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { TEST_TIMING_VARIABLE } from '../../src/cli/test-timing.js';
import type { Timing } from '../../src/runtime.js';

const CLI = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));
const STARTUP_MS = 60_000;

export interface ServerProcess {
  /** e.g. http://127.0.0.1:43210 */
  url: string;
  child: ChildProcess;
  /** Every stdout line so far (JSON log lines and console-destination output). */
  lines: string[];
  /** Resolves with the first line (already printed or still to come) that passes `test`. */
  waitForLine(test: (line: string) => boolean, timeoutMs?: number): Promise<string>;
  /** SIGKILL: no cleanup at all, as in a crash. */
  kill(): Promise<void>;
  /** SIGTERM, and the exit code. */
  stop(): Promise<number | null>;
  /** Resident memory now and at its highest so far, in bytes (read from /proc: Linux only). */
  memory(): { rssBytes: number; peakRssBytes: number };
}

/**
 * What a server process's environment needs to lease, pace or back off on `timing`, shorter
 * than a config may ask: for tests whose subject is not the length of those waits.
 */
export function testTimingEnv(timing: Timing): NodeJS.ProcessEnv {
  return { [TEST_TIMING_VARIABLE]: JSON.stringify(timing) };
}

/**
 * Runs the built CLI (`dist/cli.js serve`) as a real child process on a random port, the way a
 * user runs it, and waits until it listens. `npm test` builds dist first.
 */
export async function startServerProcess(options: {
  configPath: string;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Flags for node itself, before the script: `--cpu-prof`, which NODE_OPTIONS refuses. */
  nodeFlags?: string[];
}): Promise<ServerProcess> {
  const args = [...(options.nodeFlags ?? []), CLI, 'serve', '--config', options.configPath];
  const child = spawn(process.execPath, args, {
    cwd: options.cwd,
    env: { ...process.env, PORT: '0', LOG_LEVEL: 'info', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const waiters = new Set<{ test: (line: string) => boolean; resolve: (line: string) => void }>();
  let stderr = '';
  child.stderr?.on('data', (chunk) => {
    stderr += chunk;
  });
  if (!child.stdout) throw new Error('child stdout is not piped');
  createInterface({ input: child.stdout }).on('line', (line) => {
    lines.push(line);
    for (const waiter of waiters) {
      if (waiter.test(line)) {
        waiters.delete(waiter);
        waiter.resolve(line);
      }
    }
  });
  const exited = once(child, 'exit');

  const waitForLine = (test: (line: string) => boolean, timeoutMs = 15_000) => {
    const seen = lines.find(test);
    if (seen) return Promise.resolve(seen);
    return new Promise<string>((resolve, reject) => {
      const waiter = { test, resolve };
      waiters.add(waiter);
      const timer = setTimeout(() => {
        waiters.delete(waiter);
        reject(
          new Error(
            `no matching line within ${timeoutMs} ms\nstdout:\n${lines.join('\n')}\nstderr:\n${stderr}`,
          ),
        );
      }, timeoutMs);
      exited.then(() => {
        clearTimeout(timer);
        if (waiters.delete(waiter))
          reject(new Error(`server exited\nstdout:\n${lines.join('\n')}\nstderr:\n${stderr}`));
      });
      const original = waiter.resolve;
      waiter.resolve = (line) => {
        clearTimeout(timer);
        original(line);
      };
    });
  };

  // Importing the SDKs takes a second on an idle machine, and over 20 s on a loaded 2-core one.
  const listening = await waitForLine((line) => line.includes('credo-notify is listening'), STARTUP_MS);
  const url = JSON.parse(listening).address as string;
  return {
    url,
    child,
    lines,
    waitForLine,
    async kill() {
      child.kill('SIGKILL');
      await exited;
    },
    async stop() {
      child.kill('SIGTERM');
      const [code] = await exited;
      return code as number | null;
    },
    memory: () => memoryOf(child),
  };
}

/** VmRSS and VmHWM (the kernel's high-water mark of resident memory) of a running process. */
function memoryOf(child: ChildProcess): { rssBytes: number; peakRssBytes: number } {
  const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
  const kibibytes = (field: string) => {
    const value = status.match(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm'))?.[1];
    if (value === undefined) throw new Error(`no ${field} in /proc/${child.pid}/status`);
    return Number(value) * 1024;
  };
  return { rssBytes: kibibytes('VmRSS'), peakRssBytes: kibibytes('VmHWM') };
}
