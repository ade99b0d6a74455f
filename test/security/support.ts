import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { pino } from 'pino';
import type { Clock } from '../../src/clock.js';
import { configSchema } from '../../src/config/schema.js';
import { createRuntime, type Runtime } from '../../src/runtime.js';
import { TEST_SECRET } from '../helpers/signed-delivery.js';

/** A caller on another machine (TEST-NET-3, RFC 5737): never loopback. */
export const OUTSIDE = '203.0.113.7';

/** A secret long enough for every check: 32 bytes and more. */
export const LONG_SECRET = 'a-secret-of-at-least-thirty-two-bytes-0123';

/** A fixed start for attacks whose clock the test moves (createTestClock). */
export const ATTACK_START = Date.UTC(2026, 10, 27, 15, 44);

export interface Attacked {
  runtime: Runtime;
  /** A request as a caller at `remoteAddress` (OUTSIDE unless given) makes it. */
  inject(options: InjectOptions & { remoteAddress?: string }): Promise<LightMyRequestResponse>;
  /** Every log line from `info` up, parsed. */
  logs: Array<Record<string, unknown>>;
  printed: string[];
  close(): Promise<void>;
}

/**
 * The whole server in this process, never listening: requests go through Fastify's `inject`,
 * which lets a test say where a caller connects from. `overrides` are config keys as written.
 */
export async function startAttacked(
  overrides: Record<string, unknown> = {},
  options: { clock?: Clock } = {},
): Promise<Attacked> {
  const dir = mkdtempSync(join(tmpdir(), 'credo-notify-security-'));
  const config = configSchema.parse({
    store: { url: `sqlite:${join(dir, 'test.db')}` },
    credo: { auth: { method: 'svix', secrets: [TEST_SECRET] }, eventTypePrefix: 'CredoAI' },
    destinations: { out: { console: {} } },
    routes: [{ match: { events: ['*'] }, to: ['out'] }],
    ...overrides,
  });
  const logs: Array<Record<string, unknown>> = [];
  const printed: string[] = [];
  const log = pino({ level: 'info' }, { write: (line: string) => void logs.push(JSON.parse(line)) });
  const runtime = await createRuntime({
    config,
    log,
    clock: options.clock,
    write: (line) => printed.push(line),
  });
  await runtime.app.ready();
  return {
    runtime,
    logs,
    printed,
    inject: ({ remoteAddress = OUTSIDE, ...request }) => runtime.app.inject({ remoteAddress, ...request }),
    async close() {
      await runtime.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
