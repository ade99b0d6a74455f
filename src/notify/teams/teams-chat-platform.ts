import { type ChatPlatform, PersonUnreachableError } from '../chat-platform.js';
import { DeliveryError } from '../notifier.js';
import { TEAMS_BOT_PACING } from '../pacing.js';
import type { TeamsUser } from './conversations.js';
import type { TeamsMessenger } from './teams-notifier.js';

/**
 * Teams as a place to reach people: a person is reachable once they have a personal chat with
 * the bot (they installed the app for themselves), or are in the roster of a team the bot is
 * installed in (the bot opens the chat), and is found by the email or UPN Teams gave then. Their
 * Entra object id makes their mentions exact; without it a mention goes by email.
 */
export function teamsChatPlatform(messenger: TeamsMessenger): ChatPlatform<'teams'> {
  return {
    platform: 'teams',
    directory: {
      findByEmail: async (email) => mentionIdOf(await messenger.findPerson(email)),
    },
    // Asked every time: someone who installs the app is reachable from then on.
    cacheLookups: false,
    directMessages: (chatUserId) => ({
      async send(card) {
        const chat = await messenger.reachPersonal(chatUserId).catch((error: unknown) => {
          // Teams would not open the chat (they left the team, the bot was blocked): out of reach.
          throw isRefusal(error)
            ? new PersonUnreachableError(
                `Teams user ${chatUserId} cannot be reached: ${(error as Error).message}`,
              )
            : error;
        });
        if (!chat) {
          throw new PersonUnreachableError(
            `Teams user ${chatUserId} cannot be reached: they have no personal chat with the bot and are in no team it is installed in`,
          );
        }
        return messenger.sendToPersonal(chat, card);
      },
    }),
    // A personal chat is a conversation like any other: the same windows.
    directMessagePacing: TEAMS_BOT_PACING,
  };
}

/**
 * How a card names a person so that Teams pings them: their Entra object id, else their UPN.
 * Both work in any card (a Workflows card too); the `29:` id is the bot's own alias for them, and
 * is used only when Teams gave nothing else (msteams-docs `cards/cards-format.md`, mentions).
 */
function mentionIdOf(user: TeamsUser | null | undefined): string | undefined {
  return user?.aadObjectId ?? user?.userPrincipalName ?? user?.id;
}

/** Teams refused to open the chat, for good (403, 404): retrying will not change its mind. */
function isRefusal(error: unknown): boolean {
  return error instanceof DeliveryError && !error.retryable;
}
