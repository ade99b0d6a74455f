import type { Config, Route } from '../../config/schema.js';
import type { TeamsCard } from '../../messages.js';
import { kindOf } from '../../notify/kinds.js';
import type { TeamsConversation } from '../../notify/teams/conversations.js';
import type { TeamsDestinationProblem } from '../../notify/teams/destination-standing.js';
import { escapeTeamsMarkdown } from '../../render/teams-escape.js';
import type { RunChatCommand } from '../../subscriptions/chat-command.js';
import { parseChatCommand } from '../../subscriptions/parse-chat-command.js';
import type { MemberProfile } from './bot-activity.js';
import {
  botCard,
  chatReplyCard,
  conversationFacts,
  destinationHowTo,
  facts,
  heading,
  paragraph,
} from './bot-cards.js';

const COMMANDS =
  '**help**: what this conversation is called in the config · **status**: which routes send here · ' +
  '**subscribe** a use case id, its link or all, then what (reviews, tasks, comments, risk, fields) · ' +
  '**unsubscribe** the same · **list** · **me** dm off, dm on, quiet 19:00-08:00 Europe/Berlin, quiet off';

/** Who wrote to the bot: their Entra object id (what subscriptions.allow names), else their Teams id. */
export interface CommandAuthor {
  from?: { id: string; name?: string; aadObjectId?: string };
  profile?: MemberProfile;
}

/**
 * The answer to a message: `help` and `status` as cards of their own (help also answers what it
 * does not know), every other command of the chat grammar through the shared command engine,
 * answered in a small card.
 */
export async function commandReply(
  text: string,
  conversation: TeamsConversation,
  config: Config,
  options: {
    author: CommandAuthor;
    commands: RunChatCommand;
    /** The config's Teams destinations Teams refused the bot in, for `status` to show. */
    broken?: readonly TeamsDestinationProblem[];
  },
): Promise<TeamsCard> {
  // The bot's own mention is usually removed already; some clients leave it.
  const words = text.replace(/<at>[\s\S]*?<\/at>/g, '').trim();
  const parsed = parseChatCommand(words);
  if (parsed.ok && parsed.command.kind === 'status')
    return statusCard(conversation, config, options.broken ?? []);
  if (
    (parsed.ok && parsed.command.kind === 'help') ||
    (!parsed.ok && parsed.code === 'CN_CHAT_UNKNOWN_COMMAND')
  ) {
    return helpCard(conversation, words.toLowerCase());
  }
  const { from, profile } = options.author;
  const email = profile?.email ?? profile?.userPrincipalName;
  const reply = await options.commands({
    platform: 'teams',
    conversationId: conversation.id,
    conversationKind: conversation.kind === 'personal' ? 'personal' : 'channel',
    person: {
      id: profile?.aadObjectId ?? from?.aadObjectId ?? from?.id ?? '',
      ...(email && { email }),
      ...((profile?.name ?? from?.name) && { name: profile?.name ?? from?.name }),
    },
    text: words,
    conversationAliases: conversation.alias ? [conversation.alias] : [],
  });
  return chatReplyCard(reply);
}

function helpCard(conversation: TeamsConversation, command: string): TeamsCard {
  const unknown = command !== '' && command !== 'help';
  return botCard('Credo AI notifications: help', [
    heading('Credo AI notifications'),
    ...(unknown ? [paragraph(`I don't know "${escapeTeamsMarkdown(command)}".`)] : []),
    paragraph(
      "I post Credo AI events (reviews, comments, tasks, use case changes) wherever credo-notify's routes send them.",
    ),
    ...(conversation.kind === 'personal'
      ? [
          paragraph('Here I write to you directly when you are tagged or assigned.'),
          conversationFacts(conversation),
        ]
      : destinationHowTo(conversation)),
    paragraph(COMMANDS, { isSubtle: true, size: 'Small' }),
  ]);
}

function statusCard(
  conversation: TeamsConversation,
  config: Config,
  broken: readonly TeamsDestinationProblem[],
): TeamsCard {
  const here = destinationsHere(conversation, config);
  const routes = config.routes.flatMap((route, index) => {
    const to = route.to.filter((name) => here.includes(name));
    return to.length > 0
      ? [{ title: route.name ?? `Route ${index + 1}`, value: describeRoute(route, to) }]
      : [];
  });
  const summary =
    routes.length > 0
      ? `${routes.length} route${routes.length === 1 ? ' sends' : 's send'} here:`
      : here.length > 0
        ? `No route sends to ${here.map((name) => `**${escapeTeamsMarkdown(name)}**`).join(', ')}, the destination naming this conversation.`
        : 'No destination of the config names this conversation yet.';
  return botCard(`Credo AI notifications: ${routes.length} routes send here`, [
    heading('What is sent here'),
    paragraph(summary),
    ...(routes.length > 0
      ? [facts(routes.map(({ title, value }) => [escapeTeamsMarkdown(title), escapeTeamsMarkdown(value)]))]
      : destinationHowTo(conversation)),
    ...brokenDestinations(broken),
    paragraph(COMMANDS, { isSubtle: true, size: 'Small' }),
  ]);
}

/** The destinations nothing reaches any more, as `credo-notify check` lists them. */
function brokenDestinations(broken: readonly TeamsDestinationProblem[]): Array<Record<string, unknown>> {
  if (broken.length === 0) return [];
  return [
    paragraph(`⚠️ ${broken.length} Teams destination${broken.length === 1 ? ' is' : 's are'} broken:`, {
      weight: 'Bolder',
    }),
    facts(
      broken.map(({ destination, message }) => [
        escapeTeamsMarkdown(destination),
        escapeTeamsMarkdown(message),
      ]),
    ),
  ];
}

/** Destinations sent through the Teams bot to this conversation, by its id or alias. */
function destinationsHere(conversation: TeamsConversation, config: Config): string[] {
  const names = [conversation.id, conversation.alias].flatMap((name) => (name ? [name.toLowerCase()] : []));
  return Object.entries(config.destinations).flatMap(([name, destination]) => {
    const { bot, address } = kindOf(destination);
    return bot === 'teams' && address !== undefined && names.includes(address.toLowerCase()) ? [name] : [];
  });
}

function describeRoute(route: Route, destinations: string[]): string {
  const threads =
    route.thread === 'none' ? '' : `, threaded by ${route.thread === 'review' ? 'review' : 'use case'}`;
  return `${route.match.events.join(', ')} → ${destinations.join(', ')}${threads}`;
}
