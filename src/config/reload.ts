import { isDeepStrictEqual } from 'node:util';
import { codeOf, type ErrorCode } from '../errors.js';
import type { Logger } from '../log.js';
import { ConfigError } from './errors.js';
import type { Config } from './schema.js';

export interface ReloaderOptions {
  /** The config the server started with: what its start-only settings still are. */
  started: Config;
  /** Reads and validates the config again; throws a ConfigError listing every problem. */
  load: () => Config;
  /** Swaps the running config; throws, keeping the old one, when the new one cannot run. */
  apply: (config: Config) => void;
  log: Logger;
  /** For the reload metric. */
  onResult: (applied: boolean) => void;
}

/** Settings used once at start; a reload leaves them as they were until the next restart. */
const START_ONLY: ReadonlyArray<[key: string, read: (config: Config) => unknown]> = [
  ['server', (config) => config.server],
  ['store.url', (config) => config.store.url],
  // The Teams bot signs in with the credentials it started with.
  ['teams', (config) => config.teams],
  // POST /slack/events is served, or not, from the start, and checks the secret it started with.
  ['slack.signingSecret', (config) => config.slack?.signingSecret],
  ['delivery.leaseSeconds', (config) => config.delivery.leaseSeconds],
];

/**
 * Returns a function that re-reads the config and swaps it in whole, or logs every problem and
 * keeps the running config. It never throws: a bad edit must not stop the server.
 */
export function createReloader(options: ReloaderOptions): (trigger: string) => void {
  const { log, started } = options;
  const refuse = (trigger: string, code: ErrorCode, problems: readonly string[]) => {
    log.error(
      { trigger, code, problems },
      'config reload refused, the running config stays: fix the problems and save again',
    );
    options.onResult(false);
  };

  return (trigger) => {
    let config: Config;
    try {
      config = options.load();
      if (tokenEndpointChanged(started, config)) {
        return refuse(trigger, 'CN_CONFIG_NEEDS_RESTART', [
          'credo.auth.oauth: the /oauth/token endpoint is set up at start; restart credo-notify to change it',
        ]);
      }
      options.apply(config);
    } catch (error) {
      const problems = error instanceof ConfigError ? error.problems : [(error as Error).message];
      return refuse(trigger, codeOf(error), problems);
    }
    const restartNeeded = START_ONLY.filter(([, read]) => !isDeepStrictEqual(read(started), read(config)));
    if (restartNeeded.length > 0) {
      log.warn(
        { trigger, keys: restartNeeded.map(([key]) => key) },
        'config reloaded, but these settings apply only at the next restart',
      );
    }
    log.info({ trigger }, 'config reloaded');
    options.onResult(true);
  };
}

/**
 * The token endpoint is registered at start with that config's OAuth settings: a reload that
 * needs other ones would issue tokens its own check refuses, and every delivery would fail.
 */
function tokenEndpointChanged(started: Config, next: Config): boolean {
  const wanted = tokenEndpointOf(next);
  return wanted !== undefined && !isDeepStrictEqual(wanted, tokenEndpointOf(started));
}

function tokenEndpointOf(config: Config): Config['credo']['auth']['oauth'] {
  const { method, oauth } = config.credo.auth;
  return method === 'oauth' && oauth?.signingKey ? oauth : undefined;
}
