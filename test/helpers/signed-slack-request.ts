import { createHmac } from 'node:crypto';

/** A signing secret of the shape Slack gives (32 hex characters). */
export const TEST_SIGNING_SECRET = '8f742231b10e8888abcd99aaa0085a5e';

export interface SlackSigningOptions {
  secret?: string;
  /** Seconds since the epoch; now by default. */
  timestamp?: number;
}

/**
 * The headers Slack sends with a request: `X-Slack-Signature: v0=` + hex HMAC-SHA256 of
 * `v0:{timestamp}:{body}` (https://api.slack.com/authentication/verifying-requests-from-slack).
 */
export function slackHeaders(body: string, options: SlackSigningOptions = {}): Record<string, string> {
  const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
  const signature = createHmac('sha256', options.secret ?? TEST_SIGNING_SECRET)
    .update(`v0:${timestamp}:${body}`)
    .digest('hex');
  return {
    'content-type': 'application/x-www-form-urlencoded',
    'x-slack-request-timestamp': String(timestamp),
    'x-slack-signature': `v0=${signature}`,
  };
}

export interface SlashCommand {
  text: string;
  responseUrl: string;
  channelId?: string;
  userId?: string;
  userName?: string;
}

/**
 * A slash command's form body, with the fields Slack sends
 * (https://api.slack.com/interactivity/slash-commands#app_command_handling).
 */
export function slashCommandBody(command: SlashCommand): string {
  return new URLSearchParams({
    token: 'deprecated-verification-token',
    team_id: 'T0FAKE',
    team_domain: 'fake',
    channel_id: command.channelId ?? 'C0GOVERNANCE',
    channel_name: 'governance',
    user_id: command.userId ?? 'U0ALICE',
    user_name: command.userName ?? 'alice',
    command: '/credo',
    text: command.text,
    api_app_id: 'A0CREDO',
    is_enterprise_install: 'false',
    response_url: command.responseUrl,
    trigger_id: '13345224609.738474920.8088930838d88f008e0',
  }).toString();
}

/** Posts a signed slash command as Slack would, over real HTTP. */
export function sendSlashCommand(
  url: string,
  command: SlashCommand,
  options: SlackSigningOptions = {},
): Promise<Response> {
  const body = slashCommandBody(command);
  return fetch(url, { method: 'POST', headers: slackHeaders(body, options), body });
}
