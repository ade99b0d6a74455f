import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const RUN_TS = fileURLToPath(new URL('./run-ts.mjs', import.meta.url));
const ENTRY = fileURLToPath(new URL('./bare-fastify.ts', import.meta.url));

export interface BareFastify {
  webhookUrl: string;
  stop(): Promise<void>;
}

/** Starts bare-fastify.ts as a process of its own and waits for its URL. */
export async function startBareFastify(): Promise<BareFastify> {
  const child = spawn(process.execPath, [RUN_TS, ENTRY], { stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = once(child, 'exit');
  if (!child.stdout) throw new Error('child stdout is not piped');
  const lines = createInterface({ input: child.stdout });
  const [address] = (await Promise.race([once(lines, 'line'), exited.then(() => [undefined])])) as [
    string | undefined,
  ];
  if (!address) throw new Error('the bare Fastify baseline exited before listening');
  return {
    webhookUrl: `${address}/webhooks/credo`,
    async stop() {
      child.kill('SIGTERM');
      await exited;
    },
  };
}
