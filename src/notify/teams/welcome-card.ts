import type { TeamsCard } from '../../messages.js';
import { escapeTeamsMarkdown } from '../../render/teams-escape.js';
import { botCard, facts, heading, paragraph } from './bot-card.js';
import type { TeamsConversation } from './conversations.js';

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
