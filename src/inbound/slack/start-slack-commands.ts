import type { FastifyInstance } from 'fastify';
import type { Clock } from '../../clock.js';
import type { Config } from '../../config/schema.js';
import type { FailedAuthLimit } from '../../http/failed-auth-limit.js';
import type { Logger } from '../../log.js';
import { slackClientFor } from '../../notify/slack/slack-client.js';
import type { RunChatCommand } from '../../subscriptions/chat-command.js';
import { slackSigningSecretOf } from './slack-commands-state.js';

export interface StartSlackCommandsOptions {
  config: Config;
  /** The config in force after reloads: its `subscriptions.allow`. */
  current: () => Config;
  run: RunChatCommand;
  clock: Clock;
  log: Logger;
  failedAuth: FailedAuthLimit;
}

/**
 * The `POST /slack/events` route, or none without `slack.signingSecret`: an endpoint that could
 * not tell Slack's requests from anyone's is not served at all. Bolt, whose verification it
 * uses, takes about half a second to load: only when asked for.
 */
export async function startSlackCommands(
  options: StartSlackCommandsOptions,
): Promise<((app: FastifyInstance) => Promise<void>) | undefined> {
  const { config } = options;
  const signingSecret = slackSigningSecretOf(config);
  if (!signingSecret || !config.slack) return undefined;
  const { slackEventsRoute } = await import('./slack-events-route.js');
  const { withBotMembership } = await import('./bot-membership.js');
  const { withPersonEmail } = await import('./person-email.js');
  const client = slackClientFor({ botToken: config.slack.botToken, apiUrl: config.slack.apiUrl });
  return slackEventsRoute({
    signingSecret,
    run: withBotMembership(withPersonEmail(options.run, client, options.current), client),
    clock: options.clock,
    log: options.log,
    failedAuth: options.failedAuth,
    bodyLimitBytes: config.server.bodyLimitBytes,
  });
}
