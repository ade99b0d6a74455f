import { ConfigError } from '../config/errors.js';
import { type LoadedConfig, loadConfig } from '../config/load.js';

/** Loads the config for a command, or prints every problem and exits 1 before anything starts. */
export function loadConfigOrExit(path: string | undefined): LoadedConfig {
  try {
    return loadConfig({ path, cwd: process.cwd(), env: process.env });
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }
}
