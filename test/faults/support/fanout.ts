import { type FixtureEvent, loadFixtureEvents } from '../../helpers/fixture-events.js';
import { TEST_SECRET } from '../../helpers/signed-delivery.js';

/**
 * A setup where events spread over many Slack channels, one message per event: route i sends
 * the events of use case i to destination i, which is channel i. Event n is the n-th real
 * payload in turn, moved to use case n mod channels, so traffic goes round-robin over the
 * channels and Slack's one message per second per channel is not what a test measures.
 */

/** Slack's documented limit, one message per second per channel, as the fake Slack enforces it. */
export const SLACK_RATE_LIMIT = { messages: 1, perMs: 1_000 };

export interface FanoutOptions {
  channels: number;
  /** `sqlite:/path.db` or `postgres://...`. */
  storeUrl: string;
  /** The fake Slack's Web API URL. */
  slackApiUrl: string;
}

function channelOf(index: number): string {
  return `C0FANOUT${String(index).padStart(4, '0')}`;
}

function useCaseOf(index: number): string {
  return `fanout-use-case-${index}`;
}

/** The config file's text (JSON is YAML too). Direct messages are off: one message per event. */
export function fanoutConfig(options: FanoutOptions): string {
  const indexes = Array.from({ length: options.channels }, (_, i) => i);
  const config = {
    server: { host: '127.0.0.1', port: 0 },
    store: { url: options.storeUrl },
    credo: {
      auth: { method: 'svix', secrets: [TEST_SECRET] },
      eventTypePrefix: 'CredoAI',
      eventTypeSuffix: 'v1',
    },
    slack: { botToken: 'xoxb-fanout', apiUrl: options.slackApiUrl },
    mentions: { directMessages: { taggedUsers: false, taskAssignees: false } },
    destinations: Object.fromEntries(
      indexes.map((i) => [`channel-${i}`, { slack: { channel: channelOf(i) } }]),
    ),
    routes: indexes.map((i) => ({ match: { useCases: [useCaseOf(i)] }, to: [`channel-${i}`] })),
    // The shortest lease a user may set: a job in flight in a killed process is taken over soonest.
    delivery: { leaseSeconds: 15 },
  };
  return JSON.stringify(config, null, 2);
}

export interface FanoutEvent {
  body: string;
  /** The channel its one message goes to. */
  channel: string;
}

let fixtures: FixtureEvent[] | undefined;
/** Built once per payload and channel: a load of many events shares a few hundred bodies. */
const built = new Map<string, FanoutEvent>();

export function fanoutEvent(n: number, channels: number): FanoutEvent {
  fixtures ??= loadFixtureEvents();
  const fixtureIndex = n % fixtures.length;
  const channelIndex = n % channels;
  const key = `${fixtureIndex}/${channelIndex}`;
  const known = built.get(key);
  if (known) return known;
  const { envelope } = fixtures[fixtureIndex] as FixtureEvent;
  const data = { ...envelope.data, useCaseId: useCaseOf(channelIndex) };
  const event = { body: JSON.stringify({ ...envelope, data }), channel: channelOf(channelIndex) };
  built.set(key, event);
  return event;
}
