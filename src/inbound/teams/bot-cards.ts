import type { TeamsCard } from '../../messages.js';
import type { TeamsConversation } from '../../notify/teams/conversations.js';
import { escapeTeamsMarkdown } from '../../render/teams-escape.js';
import type { ChatReply } from '../../subscriptions/chat-command.js';

/**
 * The cards the bot answers with (welcome, help, status) are built here rather than from
 * templates: they are the bot's own words, not a Credo AI event.
 */
export function botCard(fallbackText: string, body: Array<Record<string, unknown>>): TeamsCard {
  return {
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: '1.5',
    fallbackText,
    body,
  };
}

export function heading(text: string): Record<string, unknown> {
  return { type: 'TextBlock', text, style: 'heading', size: 'Large', weight: 'Bolder', wrap: true };
}

export function paragraph(text: string, options: Record<string, unknown> = {}): Record<string, unknown> {
  return { type: 'TextBlock', text, wrap: true, ...options };
}

export function facts(entries: Array<[string, string]>): Record<string, unknown> {
  return { type: 'FactSet', facts: entries.map(([title, value]) => ({ title, value })) };
}

/**
 * The answer to being added somewhere: what this conversation is called in the config. Channel
 * and chat names come from Teams users, so they are escaped like any event text.
 */
export function welcomeCard(conversation: TeamsConversation): TeamsCard {
  if (conversation.kind === 'personal') {
    return botCard('Credo AI notifications will reach you here', [
      heading('👋 Credo AI notifications'),
      paragraph(
        'I will write to you here when someone tags you in a Credo AI review comment or a review task of yours changes.',
      ),
      paragraph('Say **help** to see what I know about this chat.', { isSubtle: true, size: 'Small' }),
    ]);
  }
  return botCard(`Credo AI notifications can post here: ${conversation.alias ?? conversation.id}`, [
    heading('👋 Credo AI notifications can post here'),
    ...destinationHowTo(conversation),
    paragraph('Mention me with **help** or **status** to see this again, or which routes send here.', {
      isSubtle: true,
      size: 'Small',
    }),
  ]);
}

/** How to send here from the config: the destination to write, then the facts behind it. */
export function destinationHowTo(conversation: TeamsConversation): Array<Record<string, unknown>> {
  const where = conversation.kind === 'channel' ? 'this channel' : 'this chat';
  return [
    paragraph(`To send Credo AI events to ${where}, add a destination like this to credo-notify's config:`),
    paragraph(escapeTeamsMarkdown(`teams: { conversation: ${conversation.alias ?? conversation.id} }`), {
      fontType: 'Monospace',
    }),
    conversationFacts(conversation),
  ];
}

export function conversationFacts(conversation: TeamsConversation): Record<string, unknown> {
  const entries: Array<[string, string | null]> = [
    ['Alias', conversation.alias],
    ['Conversation id', conversation.id],
    ['Team', conversation.teamName],
    [conversation.kind === 'channel' ? 'Channel' : 'Chat', conversation.name],
  ];
  return facts(
    entries.flatMap(
      ([title, value]): Array<[string, string]> =>
        value === null ? [] : [[title, escapeTeamsMarkdown(value)]],
    ),
  );
}

/** A chat command's answer: its line, then its few details; words from people are escaped. */
export function chatReplyCard(reply: ChatReply): TeamsCard {
  const summary = escapeTeamsMarkdown(reply.summary);
  // The fallback too: a client that shows it could still take an `<at>` there for a mention.
  return botCard(summary, [
    paragraph(summary, reply.ok ? {} : { color: 'Attention', weight: 'Bolder' }),
    ...reply.lines.map((line) => paragraph(`• ${escapeTeamsMarkdown(line)}`, { spacing: 'None' })),
  ]);
}
