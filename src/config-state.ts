import type { Clock } from './clock.js';
import type { Config } from './config/schema.js';
import type { Logger } from './log.js';
import { type Authenticate, createAuthentication } from './receiver/authenticate.js';
import type { Renderer } from './render/renderer.js';
import { rendererFor } from './render/renderer-for-config.js';
import { compileRoutes, type Router } from './routing/route-event.js';
import { createDestinations, type ReadyDestination } from './worker/destinations.js';

/**
 * Everything derived from one config. Built whole before it is used, so a reload either
 * replaces all of it or none of it; a request or job reads one consistent state.
 */
export interface ConfigState {
  config: Config;
  router: Router;
  renderer: Renderer;
  destinations: ReadonlyMap<string, ReadyDestination>;
  authenticate: Authenticate;
}

export interface ConfigStateDeps {
  clock: Clock;
  log: Logger;
  /** Where the console destination prints. */
  write: (line: string) => void;
}

/** Throws (a TemplateError, a config problem) without side effects when the config cannot run. */
export function buildConfigState(config: Config, deps: ConfigStateDeps): ConfigState {
  return {
    config,
    router: compileRoutes(config.routes),
    renderer: rendererFor(config),
    destinations: createDestinations(config, { write: deps.write }),
    authenticate: createAuthentication(config.credo.auth, deps).authenticate,
  };
}
