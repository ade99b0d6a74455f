import type { ChatCommandRequest } from '../../subscriptions/chat-command.js';

/**
 * What a signed form body from Slack is. Slash commands come as form fields
 * (https://api.slack.com/interactivity/slash-commands#app_command_handling), interactivity as
 * one `payload` field holding JSON (https://api.slack.com/interactivity/handling#payloads).
 */
export type SlackRequest =
  | { kind: 'command'; command: ChatCommandRequest; responseUrl: string }
  | { kind: 'interaction'; type: string }
  | { kind: 'unknown'; reason: string };

/** Slack's channel ids: `D` a direct message with the app; `C` and `G` channels, group DMs. */
const DIRECT_MESSAGE = /^D/;

export function readSlackRequest(rawBody: string): SlackRequest {
  const fields = new URLSearchParams(rawBody);
  const payload = fields.get('payload');
  if (payload !== null) return readInteraction(payload);
  const channelId = fields.get('channel_id');
  const userId = fields.get('user_id');
  const responseUrl = fields.get('response_url');
  if (!fields.get('command') || !channelId || !userId || !responseUrl || !isHttpUrl(responseUrl)) {
    return {
      kind: 'unknown',
      reason: 'not a slash command: command, channel_id, user_id and an http(s) response_url are needed',
    };
  }
  const name = fields.get('user_name');
  return {
    kind: 'command',
    responseUrl,
    command: {
      platform: 'slack',
      conversationId: channelId,
      conversationKind: DIRECT_MESSAGE.test(channelId) ? 'personal' : 'channel',
      person: name ? { id: userId, name } : { id: userId },
      text: unescapeEntities(fields.get('text') ?? ''),
    },
  };
}

function readInteraction(payload: string): SlackRequest {
  let parsed: unknown;
  try {
    parsed = JSON.parse(payload);
  } catch {
    return { kind: 'unknown', reason: 'the payload field is not JSON' };
  }
  const type = (parsed as { type?: unknown } | null)?.type;
  return typeof type === 'string'
    ? { kind: 'interaction', type }
    : { kind: 'unknown', reason: 'the payload has no type' };
}

/**
 * Slack sends the text with `&`, `<` and `>` as entities, as in every message
 * (https://api.slack.com/reference/surfaces/formatting#escaping): decoded, the engine reads what
 * was typed, a use-case URL's `&` included. `&amp;` last, so `&amp;lt;` stays the `&lt;` typed.
 */
function unescapeEntities(text: string): string {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

function isHttpUrl(text: string): boolean {
  return URL.canParse(text) && /^https?:$/.test(new URL(text).protocol);
}
