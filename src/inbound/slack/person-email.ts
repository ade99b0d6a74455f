import type { Config } from '../../config/schema.js';
import type { SlackClient } from '../../notify/slack/slack-client.js';
import type { ChatCommandRequest, RunChatCommand } from '../../subscriptions/chat-command.js';
import { parseChatCommand } from '../../subscriptions/parse-chat-command.js';

/**
 * Slack's slash command names the person by user id only. The engine needs their email for two
 * commands: `me dm|quiet ...`, kept by email too so that it holds on Teams as well, and
 * `(un)subscribe` when `subscriptions.allow` names people by email. users.info gives it with the
 * users:read.email scope (https://api.slack.com/methods/users.info). Asked only then, since it
 * costs a call in the 3 seconds Slack waits. Unknown (Slack failed), the command goes ahead
 * without it: the preference holds on Slack, and an allow list by email refuses, saying why.
 */
export function withPersonEmail(
  run: RunChatCommand,
  client: SlackClient,
  current: () => Config,
): RunChatCommand {
  return async (request) => {
    if (request.person.email !== undefined || !needsEmail(request, current())) return run(request);
    const email = await emailOf(client, request.person.id);
    return run(email ? { ...request, person: { ...request.person, email } } : request);
  };
}

function needsEmail(request: ChatCommandRequest, config: Config): boolean {
  const parsed = parseChatCommand(request.text);
  if (!parsed.ok) return false;
  switch (parsed.command.kind) {
    case 'dm':
    case 'quiet':
      return true;
    case 'subscribe':
    case 'unsubscribe':
      return allowsByEmail(config);
    default:
      return false;
  }
}

function allowsByEmail(config: Config): boolean {
  const { allow } = config.subscriptions;
  return allow !== 'members' && allow.some((who) => who.includes('@'));
}

async function emailOf(client: SlackClient, user: string): Promise<string | undefined> {
  try {
    const answer = await client.users.info({ user });
    return answer.user?.profile?.email || undefined;
  } catch {
    return undefined;
  }
}
