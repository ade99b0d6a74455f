import * as webApi from '@slack/web-api';
import type { Clock } from '../../clock.js';
import { fetchWithDeadline } from '../../http/fetch-with-deadline.js';
import type { Logger } from '../../log.js';
import type { KeyValueState } from '../../store/store.js';

export type SlackClient = webApi.WebClient;

export interface SlackClientOptions {
  botToken: string;
  /** Base URL of the Web API, `https://slack.com/api/` unless a test points it at a fake. */
  apiUrl: string;
  /** How long one call may take, so a hung Slack cannot hold a job forever. */
  timeoutMs?: number;
}

/** Where the bot keeps what it learns (channel ids), and tells what it meets. */
export interface SlackBotDeps {
  store: KeyValueState;
  clock: Clock;
  log: Logger;
}

export type SlackBotOptions = SlackClientOptions & SlackBotDeps;

export const DEFAULT_TIMEOUT_MS = 10_000;

/** The Web API's base URL, ending in `/` as method names are appended to it. */
export const apiBaseOf = (options: SlackClientOptions) =>
  options.apiUrl.endsWith('/') ? options.apiUrl : `${options.apiUrl}/`;

/** One client per token and URL: every destination on a workspace shares its connection pool. */
const clients = new Map<string, SlackClient>();

/**
 * The Web API client for a bot token, configured so that retries belong to our worker: a 429
 * is thrown at once with its Retry-After instead of pausing the client's whole queue, and
 * nothing is retried silently.
 */
export function slackClientFor(options: SlackClientOptions): SlackClient {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const key = JSON.stringify([options.apiUrl, options.botToken, timeoutMs]);
  let client = clients.get(key);
  if (!client) {
    client = new webApi.WebClient(options.botToken, {
      slackApiUrl: apiBaseOf(options),
      rejectRateLimitedCalls: true,
      retryConfig: { retries: 0 },
      // Our HTTP client and deadline rather than fetch and the client's `timeout`: see
      // fetchWithDeadline for what those cost. The client reads only what HttpAnswer has.
      fetch: ((url: string, init?: RequestInit) =>
        fetchWithDeadline(url, init ?? {}, timeoutMs)) as unknown as typeof fetch,
      // Failures come back to the worker classified and it logs them; the client's own warnings
      // would say the same thing twice, unstructured.
      logLevel: webApi.LogLevel.ERROR,
    });
    clients.set(key, client);
  }
  return client;
}
