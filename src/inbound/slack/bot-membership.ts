import type { SlackClient } from '../../notify/slack/slack-client.js';
import type { ChatReply, RunChatCommand } from '../../subscriptions/chat-command.js';
import { parseChatCommand } from '../../subscriptions/parse-chat-command.js';

/**
 * Slack runs a slash command in any channel, the app a member or not; but the bot can post only
 * where it was invited (chat.postMessage answers not_in_channel, and channel_not_found for a
 * private channel it cannot see: https://api.slack.com/methods/chat.postMessage#errors). A
 * subscription there would deliver nothing, so `subscribe` first asks conversations.info and,
 * when the bot is not in, says how to invite it, changing nothing.
 */
export function withBotMembership(run: RunChatCommand, client: SlackClient): RunChatCommand {
  let botName: Promise<string> | undefined;
  const nameOfBot = () => {
    botName ??= client.auth.test().then(
      (answer) => answer.user ?? FALLBACK_NAME,
      () => FALLBACK_NAME,
    );
    return botName;
  };
  return async (request) => {
    if (request.conversationKind === 'personal' || !isSubscribe(request.text)) {
      return run(request);
    }
    if (await isMember(client, request.conversationId)) return run(request);
    return notInChannel(await nameOfBot());
  };
}

/** The display name slack-app-manifest.yaml gives the bot, when auth.test cannot say. */
const FALLBACK_NAME = 'Credo AI';

/** Read by the engine's own grammar; a command it cannot read is the engine's to explain. */
function isSubscribe(text: string): boolean {
  const parsed = parseChatCommand(text);
  return parsed.ok && parsed.command.kind === 'subscribe';
}

/** Unknown (Slack failed, or rate limited): the command goes ahead, and the engine decides. */
async function isMember(client: SlackClient, channel: string): Promise<boolean> {
  try {
    const answer = await client.conversations.info({ channel });
    return answer.channel?.is_member !== false;
  } catch (failure) {
    return (failure as { data?: { error?: string } }).data?.error !== 'channel_not_found';
  }
}

function notInChannel(botName: string): ChatReply {
  return {
    ok: false,
    code: 'CN_SLACK_NOT_IN_CHANNEL',
    summary: "I'm not in this channel, so I could not post its events here. Nothing was changed.",
    lines: [`Invite me with \`/invite @${botName}\`, then subscribe again.`],
  };
}
