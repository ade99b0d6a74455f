import { type Destination, kindOf } from '../kinds.js';
import type { ConversationDirectory } from './conversations.js';

/** A `teams` destination that cannot be sent to now, and why. */
export interface TeamsDestinationProblem {
  /** The destination's name in the config. */
  destination: string;
  /** What it names: a conversation id or alias. */
  conversation: string;
  /** `not-added`: the bot was never added there (events wait); `broken`: Teams refused it there. */
  state: 'not-added' | 'broken';
  /** One line, safe to show: names only what Teams answered. */
  message: string;
}

/**
 * Where each `teams` destination stands in the directory: not captured yet (the bot was never
 * added there), or refused by Teams (removed, blocked, disabled, the channel or team deleted):
 * the usual answers to "why no card?". `credo-notify check` and the bot's `status` both say it.
 */
export async function teamsDestinationProblems(
  destinations: Readonly<Record<string, Destination>>,
  directory: ConversationDirectory,
): Promise<TeamsDestinationProblem[]> {
  const problems: TeamsDestinationProblem[] = [];
  for (const [destination, settings] of Object.entries(destinations)) {
    const { bot, address: conversation } = kindOf(settings);
    if (bot !== 'teams' || conversation === undefined) continue;
    const known = await directory.find(conversation);
    if (!known) {
      problems.push({
        destination,
        conversation,
        state: 'not-added',
        message: `the bot has not been added to "${conversation}" yet: its events wait until it is`,
      });
    } else if (known.inactive) {
      const since = new Date(known.inactive.since).toISOString();
      problems.push({
        destination,
        conversation,
        state: 'broken',
        message: `broken since ${since}: ${known.inactive.reason}; add the bot back there, or write to it`,
      });
    }
  }
  return problems;
}
