import type { z } from 'zod';
import type { Clock } from '../clock.js';
import type { Logger } from '../log.js';
import type { CardVersion, MessageOf, Platform } from '../messages.js';
import type { KeyValueState } from '../store/store.js';
import { consoleKind } from './console/console-notifier.js';
import type { Capabilities, DestinationKind } from './destination-kind.js';
import type { Notifier } from './notifier.js';
import type { RateWindow } from './pacing.js';
import { slackKind } from './slack/slack-notifier.js';
import { slackWebhookKind } from './slack-webhook/slack-webhook-notifier.js';
import { type TeamsMessenger, teamsKind } from './teams/teams-notifier.js';
import { teamsWorkflowKind } from './teams-workflow/teams-workflow-notifier.js';

/**
 * Every kind of destination, one line each. A config destination names exactly one of these
 * keys; everything else about it (settings, platform, pacing, capabilities, notifier) is its
 * kind's, defined in the kind's folder.
 */
export const DESTINATION_KINDS = {
  slack: slackKind,
  slackWebhook: slackWebhookKind,
  teams: teamsKind,
  teamsWorkflow: teamsWorkflowKind,
  console: consoleKind,
} satisfies Record<string, { platform: Platform; notifier(settings: never, deps: NotifierDeps): unknown }>;

export type KindName = keyof typeof DESTINATION_KINDS;
export const KIND_NAMES = Object.keys(DESTINATION_KINDS) as KindName[];

type Kinds = typeof DESTINATION_KINDS;

/** Each kind's settings schema, by kind: the config's `destinations.<name>` is made of these. */
export const KIND_SETTINGS = Object.fromEntries(
  KIND_NAMES.map((name) => [name, DESTINATION_KINDS[name].settings]),
) as { [K in KindName]: Kinds[K]['settings'] };

type SettingsOf<K extends KindName> = z.output<Kinds[K]['settings']>;

/** One kind and its settings, as the config gives a destination: e.g. `{ slack: { channel: 'C0GOV' } }`. */
export type Destination = { [K in KindName]: Record<K, SettingsOf<K>> }[KindName];

/** What the kinds' notifiers are built with. */
export interface NotifierDeps {
  /** Where a notifier keeps what it learns (Slack channel ids), and the time it keeps it by. */
  store: KeyValueState;
  clock: Clock;
  log: Logger;
  /** The Slack bot (`slack:` of the config), for kinds sent through it. */
  slack?: { botToken: string; apiUrl: string };
  /** The Teams bot, started when the config asks for it. */
  teams?: TeamsMessenger;
  /** Where the console destination prints. */
  write: (line: string) => void;
}

/** A destination's kind, its settings applied. */
export type BoundKind<P extends Platform = Platform> = {
  [K in P]: {
    kind: KindName;
    platform: K;
    cardVersion: CardVersion | undefined;
    pacing: readonly RateWindow[];
    can: Capabilities;
    bot: Platform | undefined;
    address: string | undefined;
    notifier(deps: NotifierDeps): Notifier<MessageOf[K]>;
  };
}[P];

/** How a destination's messages are rendered: its platform's templates, its Teams cards at its version. */
export type MessageFormat = Pick<BoundKind, 'platform' | 'cardVersion'>;

/** The formats some destinations' messages take, each once: a route to a bot and a Workflows URL renders twice. */
export function formatsOf(destinations: readonly Destination[]): MessageFormat[] {
  const formats = new Map<string, MessageFormat>();
  for (const destination of destinations) {
    const { platform, cardVersion } = kindOf(destination);
    formats.set(`${platform} ${cardVersion}`, { platform, cardVersion });
  }
  return [...formats.values()];
}

/** The kind of a destination of a valid config, with its settings. */
export function kindOf(destination: Destination): BoundKind {
  // The config schema lets exactly one kind through.
  const [name, settings] = Object.entries(destination)[0] as [KindName, unknown];
  const definition = DESTINATION_KINDS[name] as unknown as DestinationKind<unknown, Platform, NotifierDeps>;
  return bind(name, definition, settings);
}

const CHAT_PREFIX = 'chat:';

/**
 * `chat:<platform>:<address>`: the queue key of a destination made in a chat (a subscription),
 * not named in the config (whose names cannot hold a colon).
 */
export function chatDestinationName(platform: Platform, address: string): string {
  return `${CHAT_PREFIX}${platform}:${address}`;
}

/**
 * The destination a chat name stands for: the kind sent through that platform's bot that can be
 * addressed from a chat, with the settings for that address. Undefined for any other name.
 */
export function chatDestination(name: string): Destination | undefined {
  if (!name.startsWith(CHAT_PREFIX)) return undefined;
  const rest = name.slice(CHAT_PREFIX.length);
  const colon = rest.indexOf(':');
  const platform = rest.slice(0, colon);
  const address = rest.slice(colon + 1);
  if (colon < 0 || address === '') return undefined;
  for (const kind of KIND_NAMES) {
    const definition = DESTINATION_KINDS[kind] as {
      bot?: Platform;
      addressed?: (address: string) => unknown;
    };
    if (definition.bot === platform && definition.addressed) {
      return { [kind]: definition.addressed(address) } as Destination;
    }
  }
  return undefined;
}

/** The kind called `name`, if there is one: for a config that may not be valid yet. */
export function kindNamed(name: string): { bot?: Platform } | undefined {
  return Object.hasOwn(DESTINATION_KINDS, name) ? DESTINATION_KINDS[name as KindName] : undefined;
}

function bind<S, P extends Platform>(
  kind: KindName,
  definition: DestinationKind<S, P, NotifierDeps>,
  settings: S,
): BoundKind<P> {
  return {
    kind,
    platform: definition.platform,
    cardVersion: definition.cardVersion,
    pacing: definition.pacing,
    can: definition.can,
    bot: definition.bot,
    address: definition.address?.(settings),
    notifier: (deps) => definition.notifier(settings, deps),
  };
}
