import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Child-process and loopback-server tests start real processes: give them room on 2 cores.
    testTimeout: 20_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // A throwaway PostgreSQL for the PostgreSQL store and multi-instance tests (see the file).
    globalSetup: ['test/setup/postgres.ts'],
  },
});
