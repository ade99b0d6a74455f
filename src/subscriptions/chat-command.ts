/**
 * The chat commands (`/credo ...` in Slack, `@credo-notify ...` to the Teams bot) as one
 * platform-neutral seam: each platform's inbound side turns its request into a ChatCommandRequest,
 * and renders the ChatReply in its own format (Slack: ephemeral mrkdwn, Teams: a small card).
 */
export interface ChatCommandRequest {
  platform: 'slack' | 'teams';
  /** Where it was typed: a Slack channel id, a Teams conversation id. */
  conversationId: string;
  /** A channel (or group chat) can be subscribed; a personal chat only takes `me` and `help`. */
  conversationKind: 'channel' | 'personal';
  /** Who typed it: Slack user id, or Teams Entra object id (aadObjectId); email when known. */
  person: { id: string; email?: string; name?: string };
  /** The words after `/credo` or after the bot's mention, untrimmed, as typed. */
  text: string;
  /** Other names the config may give this conversation (a Teams alias), for `list`. */
  conversationAliases?: string[];
}

/** Plain text (no markup): each platform escapes it for its own format. */
export interface ChatReply {
  /** false: nothing was changed, and `lines` say why and what to do. */
  ok: boolean;
  /** One short line, for example `Subscribed #governance to reviews of Fraud Detection Model.` */
  summary: string;
  /** More lines, for example the items of `list`, or the usage after an error. */
  lines: string[];
  /** When set, an error code from src/errors.ts (for logs and tests). */
  code?: string;
}

export type RunChatCommand = (request: ChatCommandRequest) => Promise<ChatReply>;
