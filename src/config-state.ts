import type { Clock } from './clock.js';
import type { Config } from './config/schema.js';
import type { CredoEvent } from './events/credo-event.js';
import type { FailedAuthLimit } from './http/failed-auth-limit.js';
import type { Logger } from './log.js';
import type { Platform } from './messages.js';
import { formatsOf } from './notify/kinds.js';
import type { TeamsMessenger } from './notify/teams/teams-notifier.js';
import { createPeople, type People } from './people/people.js';
import { type Authenticate, type Authentication, createAuthentication } from './receiver/authenticate.js';
import { rendererFor } from './render/create-renderer.js';
import type { Renderer } from './render/renderer.js';
import { compileRoutes, type Router } from './routing/route-event.js';
import type { KeyValueState } from './store/store.js';
import type { PreferenceBook } from './subscriptions/preferences.js';
import { routeWithSubscriptions, type SubscriptionRouter } from './subscriptions/route-subscriptions.js';
import type { ChatSubscription } from './subscriptions/subscription-book.js';
import type { SubscriptionSnapshot } from './subscriptions/subscription-snapshot.js';
import { createDestinations, type ReadyDestination } from './worker/destinations.js';
import { type DirectMessagePlan, planDirectMessages } from './worker/direct-messages.js';

/**
 * Everything derived from one config. Built whole before it is used, so a reload either
 * replaces all of it or none of it; a request or job reads one consistent state.
 */
export interface ConfigState {
  config: Config;
  /** The config's routes alone: what the route tester explains. */
  routes: Router;
  /** The routes, then the chat subscriptions of a snapshot. */
  router: SubscriptionRouter;
  subscriptions: () => Promise<readonly ChatSubscription[]>;
  /** People's `me dm off` (read before a direct message goes out) and quiet hours. */
  preferences: Pick<PreferenceBook, 'latestOf'>;
  renderer: Renderer;
  destinations: ReadonlyMap<string, ReadyDestination>;
  authenticate: Authenticate;
  /** Routes the auth method needs on the server; registered once, from the config at start. */
  authPlugins: Authentication['plugins'];
  /** Names and chat ids for messages, and the platforms people can be written to on. */
  people: People;
  /** The direct messages an event owes (pure: runs at receive time). */
  planDirectMessages: (event: CredoEvent) => DirectMessagePlan;
}

export interface ConfigStateDeps {
  clock: Clock;
  log: Logger;
  /** Where looked-up identities and use case names are remembered. */
  store: KeyValueState;
  /** Where the console destination prints. */
  write: (line: string) => void;
  /** The Teams bot, when the config asked for it at start. */
  teams?: TeamsMessenger;
  /** Failed authentications per client address, kept across reloads. */
  failedAuth: FailedAuthLimit;
  /** The chat subscriptions and preferences, which outlive any config. */
  snapshot: Pick<SubscriptionSnapshot, 'current'>;
  preferences: Pick<PreferenceBook, 'latestOf'>;
}

/** Throws (a TemplateError, a config problem) without side effects when the config cannot run. */
export function buildConfigState(config: Config, deps: ConfigStateDeps): ConfigState {
  const people = createPeople(config, deps);
  const authentication = createAuthentication(config.credo.auth, deps);
  const routes = compileRoutes(config.routes);
  const bots = [...people.chatPlatforms.keys()];
  return {
    config,
    routes,
    router: routeWithSubscriptions(routes, config),
    subscriptions: deps.snapshot.current,
    preferences: deps.preferences,
    renderer: rendererFor(config, platformsSentTo(config, bots)),
    destinations: createDestinations(config, deps),
    authenticate: authentication.authenticate,
    authPlugins: authentication.plugins,
    people,
    planDirectMessages: (event) => planDirectMessages(event, config.mentions, bots),
  };
}

/**
 * The platforms a config's messages go to: its destinations' and those it has a bot on (direct
 * messages, chat subscriptions). A reload that adds one builds a renderer that compiles it.
 */
function platformsSentTo(config: Config, bots: readonly Platform[]): Platform[] {
  const destinations = formatsOf(Object.values(config.destinations)).map((format) => format.platform);
  return [...new Set([...bots, ...destinations])];
}
