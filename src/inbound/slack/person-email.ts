import type { SlackClient } from '../../notify/slack/slack-client.js';
import type { RunChatCommand } from '../../subscriptions/chat-command.js';

/**
 * Slack's slash command names the person by user id only. When who may change subscriptions is
 * written by email (`subscriptions.allow`), the engine needs theirs: users.info gives it with the
 * users:read.email scope (https://api.slack.com/methods/users.info). Asked only then, since it
 * costs a call in the 3 seconds Slack waits. Unknown (Slack failed), the command goes ahead
 * without it, and an allow list by email refuses, saying why.
 */
export function withPersonEmail(
  run: RunChatCommand,
  client: SlackClient,
  needsEmail: () => boolean,
): RunChatCommand {
  return async (request) => {
    if (!needsEmail() || request.person.email !== undefined) return run(request);
    const email = await emailOf(client, request.person.id);
    return run(email ? { ...request, person: { ...request.person, email } } : request);
  };
}

async function emailOf(client: SlackClient, user: string): Promise<string | undefined> {
  try {
    const answer = await client.users.info({ user });
    return answer.user?.profile?.email || undefined;
  } catch {
    return undefined;
  }
}
