import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { StoreTarget } from './stores.js';

const RUN_TS = fileURLToPath(new URL('./run-ts.mjs', import.meta.url));

/** A server credo-notify is compared with, in a process of its own like credo-notify. */
export interface BaselineServer {
  webhookUrl: string;
  stop(): Promise<void>;
}

/** bare-fastify.ts: a route that parses the body and answers 204. */
export function startBareFastify(): Promise<BaselineServer> {
  return startEntry('bare-fastify.ts', {});
}

/** floor.ts: signature check and durable write only, on an empty store of `target`. */
export async function startFloor(target: StoreTarget): Promise<BaselineServer> {
  const dir = mkdtempSync(join(tmpdir(), 'credo-notify-floor-'));
  const server = await startEntry('floor.ts', { STORE_URL: await target.fresh(dir) });
  return {
    webhookUrl: server.webhookUrl,
    async stop() {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Starts a bench entry point as a process of its own and waits for the URL it prints. */
async function startEntry(entry: string, env: NodeJS.ProcessEnv): Promise<BaselineServer> {
  const child = spawn(process.execPath, [RUN_TS, fileURLToPath(new URL(`./${entry}`, import.meta.url))], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, ...env },
  });
  const exited = once(child, 'exit');
  if (!child.stdout) throw new Error('child stdout is not piped');
  const lines = createInterface({ input: child.stdout });
  const [address] = (await Promise.race([once(lines, 'line'), exited.then(() => [undefined])])) as [
    string | undefined,
  ];
  if (!address) throw new Error(`${entry} exited before listening`);
  return {
    webhookUrl: `${address}/webhooks/credo`,
    async stop() {
      child.kill('SIGTERM');
      await exited;
    },
  };
}
