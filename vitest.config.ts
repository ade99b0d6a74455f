import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

/**
 * Files that start real processes (`dist/cli.js`, Chromium, a PostgreSQL): each runs in a fresh
 * worker, so nothing one leaves behind reaches another.
 */
const ISOLATED = [
  'test/cli/**/*.test.ts',
  'test/faults/**/*.test.ts',
  'test/packaging/**/*.test.ts',
  'test/store/postgres/**/*.test.ts',
  'test/console/console-browser.test.ts',
  'test/e2e/crash-restart.test.ts',
  'test/e2e/dead-letter-retry.test.ts',
  'test/e2e/multi-instance.test.ts',
  'test/e2e/reload.test.ts',
  'test/security/server-process.test.ts',
];

/**
 * Files that time a server's answers (`/healthz` within 100 ms while it takes a flood): they
 * run last, alone, so that the figure is the server's and not the other tests' load.
 */
const ALONE = ['test/security/comment-flood.test.ts'];

/**
 * Test files at a time: vitest's own default (a core less than the machine has), but two on a
 * 2-core machine, where it would be one. Most files there wait on a child process or a socket
 * and leave a core idle: one at a time, `npm test` took 5 m 44 s.
 */
const WORKERS = Math.max(2, availableParallelism() - 1);

/** A throwaway PostgreSQL for the PostgreSQL store and multi-instance tests (see the file). */
const POSTGRES = ['test/setup/postgres.ts'];

export default defineConfig({
  test: {
    // Child-process and loopback-server tests start real processes: give them room on 2 cores.
    testTimeout: 20_000,
    hookTimeout: 30_000,
    pool: 'forks',
    maxWorkers: WORKERS,
    projects: [
      {
        extends: true,
        test: {
          // Everything else runs in long-lived workers, one file after the other: the SDKs and
          // our modules load once a worker instead of once a file, which was most of the suite's
          // CPU time. A test that changes what a module read as it loaded (an environment
          // variable, say) resets the modules after itself.
          name: 'shared',
          include: ['test/**/*.test.ts'],
          exclude: [...ISOLATED, ...ALONE],
          isolate: false,
        },
      },
      {
        extends: true,
        test: { name: 'isolated', include: ISOLATED, globalSetup: POSTGRES },
      },
      {
        extends: true,
        test: { name: 'alone', include: ALONE, maxWorkers: 1, sequence: { groupOrder: 1 } },
      },
    ],
  },
});
