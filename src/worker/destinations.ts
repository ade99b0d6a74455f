import type { Config, Destination } from '../config/schema.js';
import { createConsoleNotifier } from '../notify/console/console-notifier.js';
import { DeliveryError, type Notifier } from '../notify/notifier.js';
import { createSlackNotifier } from '../notify/slack/slack-notifier.js';
import { createSlackWebhookNotifier } from '../notify/slack-webhook/slack-webhook-notifier.js';
import type { Platform } from '../render/renderer.js';

/** A configured destination, ready to send: its notifier, the message format it takes, its pace. */
export interface ReadyDestination {
  name: string;
  platform: Platform;
  notifier: Notifier;
  /** Minimum spacing between two messages, per the platform's documented limits. */
  paceMs: number;
}

/** Slack allows about one message per second per channel; Teams about 7 per second per conversation. */
const SLACK_PACE_MS = 1_000;

export function createDestinations(
  config: Config,
  options: { write: (line: string) => void },
): Map<string, ReadyDestination> {
  const ready = new Map<string, ReadyDestination>();
  for (const [name, destination] of Object.entries(config.destinations)) {
    ready.set(name, { name, ...createOne(config, destination, options) });
  }
  return ready;
}

function createOne(
  config: Config,
  destination: Destination,
  options: { write: (line: string) => void },
): Omit<ReadyDestination, 'name'> {
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
  return { platform: 'teams', paceMs: 0, notifier: notYetSupported('Teams') };
}

function notYetSupported(kind: string): Notifier {
  return {
    send: async () => {
      throw new DeliveryError(`${kind} destinations are not supported by this version`, { retryable: false });
    },
  };
}
