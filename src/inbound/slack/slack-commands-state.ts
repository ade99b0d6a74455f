import type { Config } from '../../config/schema.js';

/** The signing secret, when the `/credo` slash command is on: set and not empty. */
export function slackSigningSecretOf(config: Config): string | undefined {
  const secret = config.slack?.signingSecret;
  return secret ? secret : undefined;
}

/** Whether `POST /slack/events` is served: only with a Slack bot and its app's signing secret. */
export function wantsSlackCommands(config: Config): boolean {
  return config.slack !== undefined && slackSigningSecretOf(config) !== undefined;
}

/** What `check` says of the slash command, so that an operator sees why `/credo` gets no answer. */
export function slackCommandsLine(config: Config): string {
  return wantsSlackCommands(config)
    ? 'slack: the /credo slash command is served at POST /slack/events'
    : 'slack: the /credo slash command is off (set slack.signingSecret to serve POST /slack/events)';
}
