import { defineConfig } from 'vitest/config';

/**
 * Files that start real processes (`dist/cli.js`, Chromium) or time the answer to a stalled
 * database: each runs in a fresh worker, so nothing one leaves behind reaches another. Two lanes
 * of them, each one file at a time: a process test mostly waits on its child, so two run beside
 * the shared lane on 2 cores (a lane's sum measured: servers 121 s, commands 83 s).
 */
/** Servers and a browser: the end-to-end process tests. */
const SERVERS = [
  'test/store/postgres/stalled-database.test.ts',
  'test/console/console-browser.test.ts',
  'test/e2e/crash-restart.test.ts',
  'test/e2e/dead-letter-retry.test.ts',
  'test/e2e/digest-restart.test.ts',
  'test/e2e/multi-instance.test.ts',
  'test/e2e/reload.test.ts',
  'test/security/server-process.test.ts',
];
/** The CLI's commands as a user runs them, the short fault suite and the installed package. */
const COMMANDS = [
  // test/cli/ but check, check-teams and test-timing, which mostly call the code in-process.
  'test/cli/bin.test.ts',
  'test/cli/check-render.test.ts',
  'test/cli/dead-letters.test.ts',
  'test/cli/going-live.test.ts',
  'test/cli/readme-commands.test.ts',
  'test/cli/render-dry-run.test.ts',
  'test/cli/replay.test.ts',
  'test/cli/route.test.ts',
  'test/cli/start-errors.test.ts',
  'test/cli/subscriptions.test.ts',
  'test/cli/teams-conversations.test.ts',
  'test/cli/teams-manifest.test.ts',
  'test/faults/**/*.test.ts',
  'test/packaging/**/*.test.ts',
];

/**
 * Files that time a server's answers (`/healthz` within 100 ms while it takes a flood): they run
 * last, by themselves, so that the figure is the server's and not the other tests' load.
 */
const ALONE = ['test/security/comment-flood.test.ts'];

/**
 * A throwaway PostgreSQL for the PostgreSQL store (shared), stalled-database, multi-instance
 * (servers) and start-errors (commands) tests: see the file. `npm test` runs each lane in a vitest of its own, each with its
 * own server.
 */
const POSTGRES = ['test/setup/postgres.ts'];

export default defineConfig({
  test: {
    // Child-process and loopback-server tests start real processes: give them room on 2 cores.
    testTimeout: 20_000,
    hookTimeout: 30_000,
    pool: 'forks',
    projects: [
      {
        extends: true,
        test: {
          // Everything else runs in one process, one file after the other: the SDKs and our
          // modules load once instead of once a file, which was most of the suite's CPU time.
          // A test that changes what a module read as it loaded (an environment variable, say)
          // resets the modules after itself.
          name: 'shared',
          include: ['test/**/*.test.ts'],
          exclude: [...SERVERS, ...COMMANDS, ...ALONE],
          isolate: false,
          globalSetup: POSTGRES,
        },
      },
      { extends: true, test: { name: 'servers', include: SERVERS, globalSetup: POSTGRES } },
      { extends: true, test: { name: 'commands', include: COMMANDS, globalSetup: POSTGRES } },
      { extends: true, test: { name: 'alone', include: ALONE, sequence: { groupOrder: 1 } } },
    ],
  },
});
