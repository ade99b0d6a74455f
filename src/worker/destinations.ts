import type { Config } from '../config/schema.js';
import type { CardVersion, MessageOf, Platform } from '../messages.js';
import type { Capabilities } from '../notify/destination-kind.js';
import { type BoundKind, chatDestination, kindOf, type NotifierDeps } from '../notify/kinds.js';
import type { Notifier } from '../notify/notifier.js';
import type { RateWindow } from '../notify/pacing.js';

/** A configured destination, ready to send: its notifier, the message format it takes, its pace. */
export type ReadyDestination<P extends Platform = Platform> = {
  [K in P]: {
    name: string;
    platform: K;
    /** The Adaptive Card version its Teams cards are rendered at: Workflows displays no later than 1.4. */
    cardVersion: CardVersion | undefined;
    notifier: Notifier<MessageOf[K]>;
    /** Its kind's pacing, per the platform's documented limits. */
    pacing: readonly RateWindow[];
    /**
     * What it sends through, shared with the destinations that go down with it: its bot
     * (`slack`, `teams`: a direct message's too), else its kind (`slackWebhook`...).
     */
    service: string;
    can: Capabilities;
  };
}[P];

export type DestinationDeps = Omit<NotifierDeps, 'slack'>;

/**
 * Every destination of the config, each built by its kind (notify/kinds.ts). A chat destination
 * (`chat:slack:C123`, made by a subscription) is looked up the same way, built by its kind the
 * first time a job names it; it is not listed among the config's names.
 */
export function createDestinations(
  config: Config,
  deps: DestinationDeps,
): ReadonlyMap<string, ReadyDestination> {
  const slack = config.slack && { botToken: config.slack.botToken, apiUrl: config.slack.apiUrl };
  const notifierDeps = { ...deps, slack };
  const ready = new ChatDestinations((name) => {
    const destination = chatDestination(name);
    const kind = destination && kindOf(destination);
    // A chat destination whose bot is gone from the config (its notifier cannot be built) is no more.
    if (!kind || (kind.bot === 'slack' && !slack) || (kind.bot === 'teams' && !deps.teams)) return undefined;
    return readyDestination(name, kind, notifierDeps);
  });
  for (const [name, destination] of Object.entries(config.destinations)) {
    ready.set(name, readyDestination(name, kindOf(destination), notifierDeps));
  }
  return ready;
}

/** The config's destinations, and the chat destinations made on demand and kept apart. */
class ChatDestinations extends Map<string, ReadyDestination> {
  private readonly chats = new Map<string, ReadyDestination | undefined>();
  constructor(private readonly build: (name: string) => ReadyDestination | undefined) {
    super();
  }
  override get(name: string): ReadyDestination | undefined {
    const configured = super.get(name);
    if (configured) return configured;
    if (!this.chats.has(name)) this.chats.set(name, this.build(name));
    return this.chats.get(name);
  }
}

function readyDestination<P extends Platform>(
  name: string,
  kind: BoundKind<P>,
  deps: NotifierDeps,
): ReadyDestination<P> {
  const { platform, cardVersion, pacing, can } = kind;
  const service = kind.bot ?? kind.kind;
  return { name, platform, cardVersion, pacing, service, can, notifier: kind.notifier(deps) };
}
