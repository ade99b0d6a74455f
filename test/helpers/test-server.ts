import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import type { Clock } from '../../src/clock.js';
import { type Config, configSchema } from '../../src/config/schema.js';
import { createRuntime, type Runtime, type Timing } from '../../src/runtime.js';
import { TEST_SECRET } from './signed-delivery.js';

export { eventually } from './eventually.js';

export interface TestServer {
  /** The webhook URL. */
  webhookUrl: string;
  baseUrl: string;
  runtime: Runtime;
  config: Config;
  /** What console destinations printed. */
  printed: string[];
  close(): Promise<void>;
}

export interface TestServerOptions {
  /** Receives every log line from `info` up, parsed, for tests of what the log says. */
  onLog?: (line: Record<string, unknown>) => void;
  /** The real time unless a test drives a clock of its own. */
  clock?: Clock;
  /** Shorter timings than a config may set (see Timing in src/runtime.ts). */
  timing?: Timing;
}

/**
 * The whole product in this process: config → store (SQLite in a temp folder) → HTTP on
 * 127.0.0.1 (random port) → worker. `overrides` are config keys as a user writes them.
 */
export async function startTestServer(
  overrides: Record<string, unknown> = {},
  options: TestServerOptions = {},
): Promise<TestServer> {
  const dir = mkdtempSync(join(tmpdir(), 'credo-notify-test-'));
  const config = configSchema.parse({
    server: { host: '127.0.0.1', port: 0 },
    store: { url: `sqlite:${join(dir, 'test.db')}` },
    credo: {
      auth: { method: 'svix', secrets: [TEST_SECRET] },
      eventTypePrefix: 'CredoAI',
      eventTypeSuffix: 'v1',
    },
    destinations: { out: { console: {} } },
    routes: [{ match: { events: ['*'] }, to: ['out'] }],
    ...overrides,
  });
  const printed: string[] = [];
  const { onLog, clock, timing } = options;
  const log = onLog
    ? pino({ level: 'info' }, { write: (line: string) => onLog(JSON.parse(line)) })
    : pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });
  const runtime = await createRuntime({
    config,
    log,
    clock,
    timing,
    write: (line) => printed.push(line),
  });
  const baseUrl = await runtime.app.listen({ host: '127.0.0.1', port: 0 });
  runtime.worker.start();
  return {
    webhookUrl: `${baseUrl}${config.server.webhookPath}`,
    baseUrl,
    runtime,
    config,
    printed,
    async close() {
      await runtime.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
