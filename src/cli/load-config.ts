import { dirname, resolve } from 'node:path';
import dotenv from 'dotenv';
import { ConfigError } from '../config/errors.js';
import { type LoadedConfig, loadConfig } from '../config/load.js';

export interface CommandNeeds {
  /** The command never uses the webhook secret, so a not-yet-set one is no reason to stop. */
  secretMayBeMissing?: boolean;
}

/** Loads the config for a command, or prints every problem and exits 1 before anything starts. */
export function loadConfigOrExit(path: string | undefined, needs: CommandNeeds = {}): LoadedConfig {
  loadDotenvBeside(path);
  try {
    return loadConfig({ path, cwd: process.cwd(), env: process.env, ...needs });
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }
}

/**
 * `.env` sits beside the config file (the working directory for ./credo-notify.yaml and the
 * quick start), so that `--config /etc/credo-notify/credo-notify.yaml` under systemd finds it.
 * It fills in what the environment does not already say; it never overrides it.
 */
function loadDotenvBeside(configPath: string | undefined): void {
  const dir = configPath === undefined ? process.cwd() : dirname(resolve(process.cwd(), configPath));
  dotenv.config({ path: resolve(dir, '.env'), quiet: true });
}

/** What to do about a secret that is not set yet: the step of the setup it comes from. */
export function missingSecretStep(missing: readonly string[]): string {
  return [
    ...missing,
    'The signing secret exists once the webhook is registered in Credo AI: run `credo-notify credo webhooks create --url https://your.host`,',
    'then set CREDO_WEBHOOK_SECRET to the endpoint’s signing secret (whsec_...), as docs/credo-ai.md step 5 says.',
  ].join('\n');
}
