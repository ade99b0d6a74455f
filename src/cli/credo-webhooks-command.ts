import type { Config } from '../config/schema.js';
import type { CredoApiClient } from '../credo-api/client.js';
import {
  createCredoWebhook,
  credoApiClientFor,
  deleteCredoWebhook,
  listCredoWebhooks,
  type Write,
} from './credo-webhooks.js';
import { loadConfigOrExit } from './load-config.js';

type Action<A> = (config: Config, client: CredoApiClient, args: A, write: Write) => Promise<unknown>;

/** Runs one `credo webhooks` action: a user-facing error goes to stderr with exit code 1. */
async function run<A>(action: Action<A>, configPath: string | undefined, args: A): Promise<void> {
  const { config } = loadConfigOrExit(configPath, { secretMayBeMissing: true });
  try {
    await action(config, credoApiClientFor(config), args, (text) => process.stdout.write(text));
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  }
}

export const credoWebhooks = {
  list: (options: { config?: string }) => run(listCredoWebhooks, options.config, {}),
  create: (options: { config?: string; url: string; description?: string; environment?: string }) =>
    run(createCredoWebhook, options.config, {
      url: options.url,
      description: options.description,
      environment: options.environment,
    }),
  delete: (id: string, options: { config?: string }) => run(deleteCredoWebhook, options.config, { id }),
};
