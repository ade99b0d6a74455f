import type { Config, Destination } from '../config/schema.js';
import type { MessageOf, Platform } from '../messages.js';
import { createConsoleNotifier } from '../notify/console/console-notifier.js';
import type { Notifier } from '../notify/notifier.js';
import { createSlackNotifier } from '../notify/slack/slack-notifier.js';
import { createSlackWebhookNotifier } from '../notify/slack-webhook/slack-webhook-notifier.js';
import type { TeamsMessenger } from '../notify/teams/teams-notifier.js';
import { createTeamsWorkflowNotifier } from '../notify/teams-workflow/teams-workflow-notifier.js';

/** A configured destination, ready to send: its notifier, the message format it takes, its pace. */
export type ReadyDestination<P extends Platform = Platform> = {
  [K in P]: {
    name: string;
    platform: K;
    notifier: Notifier<MessageOf[K]>;
    /** Minimum spacing between two messages, per the platform's documented limits. */
    paceMs: number;
  };
}[P];

/** Slack allows about one message per second per channel; Teams about 7 per second per conversation. */
const SLACK_PACE_MS = 1_000;
/** 150 ms: 6.7 messages per second, under Teams' 7. */
const TEAMS_PACE_MS = 150;

export interface DestinationDeps {
  write: (line: string) => void;
  /** The Teams bot, started when the config asks for it. */
  teams?: TeamsMessenger;
}

export function createDestinations(config: Config, options: DestinationDeps): Map<string, ReadyDestination> {
  const ready = new Map<string, ReadyDestination>();
  for (const [name, destination] of Object.entries(config.destinations)) {
    ready.set(name, { name, ...createOne(config, destination, options) } as ReadyDestination);
  }
  return ready;
}

function createOne(
  config: Config,
  destination: Destination,
  options: DestinationDeps,
): DistributiveOmit<ReadyDestination, 'name'> {
  if ('slack' in destination) {
    const slack = config.slack;
    if (!slack) throw new Error('slack destinations need slack.botToken');
    return {
      platform: 'slack',
      paceMs: SLACK_PACE_MS,
      notifier: createSlackNotifier({
        botToken: slack.botToken,
        apiUrl: slack.apiUrl,
        channel: destination.slack.channel,
      }),
    };
  }
  if ('slackWebhook' in destination) {
    return {
      platform: 'slack',
      paceMs: SLACK_PACE_MS,
      notifier: createSlackWebhookNotifier(destination.slackWebhook),
    };
  }
  if ('console' in destination) {
    return { platform: 'slack', paceMs: 0, notifier: createConsoleNotifier({ write: options.write }) };
  }
  if ('teams' in destination) {
    if (!options.teams) {
      throw new Error(
        'the Teams bot starts with credo-notify: restart it to add the first teams destination',
      );
    }
    return {
      platform: 'teams',
      paceMs: TEAMS_PACE_MS,
      notifier: options.teams.conversation(destination.teams.conversation),
    };
  }
  return {
    platform: 'teams',
    paceMs: TEAMS_PACE_MS,
    notifier: createTeamsWorkflowNotifier(destination.teamsWorkflow),
  };
}

/** Which message format a destination takes: console prints the Slack rendering. */
export function platformOf(destination: Destination): Platform {
  return 'teams' in destination || 'teamsWorkflow' in destination ? 'teams' : 'slack';
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
