import type { Config, Route } from '../../config/schema.js';
import type { TeamsCard } from '../../messages.js';
import { kindOf } from '../../notify/kinds.js';
import type { TeamsConversation } from '../../notify/teams/conversations.js';
import type { TeamsDestinationProblem } from '../../notify/teams/destination-standing.js';
import { escapeTeamsMarkdown } from '../../render/teams-escape.js';
import { botCard, conversationFacts, destinationHowTo, facts, heading, paragraph } from './bot-cards.js';

const COMMANDS =
  '**help**: what this conversation is called in the config · **status**: which routes send here';

/**
 * The answer to a message: `status`, else help (which also answers anything it does not know).
 * `broken`: the config's Teams destinations Teams refused the bot in, for `status` to show.
 */
export function commandReply(
  text: string,
  conversation: TeamsConversation,
  config: Config,
  broken: readonly TeamsDestinationProblem[] = [],
): TeamsCard {
  // The bot's own mention is usually removed already; some clients leave it.
  const command = text
    .replace(/<at>[\s\S]*?<\/at>/g, '')
    .trim()
    .toLowerCase();
  return command === 'status' ? statusCard(conversation, config, broken) : helpCard(conversation, command);
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
