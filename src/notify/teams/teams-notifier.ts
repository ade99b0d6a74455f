import { z } from 'zod';
import { nonEmpty } from '../../fields.js';
import type { TeamsCard } from '../../messages.js';
import { PersonUnreachableError } from '../chat-platform.js';
import { defineKind } from '../destination-kind.js';
import { DeliveryError, type Notifier, type SendContext, type SendResult } from '../notifier.js';
import { TEAMS_BOT_PACING } from '../pacing.js';
import { ConversationGoneError } from './conversation-gone.js';
import type { ConversationDirectory, TeamMember, TeamsConversation, TeamsUser } from './conversations.js';

/** `teams: { conversation }`: a channel or chat written to through credo-notify's Teams bot. */
export const teamsKind = defineKind({
  settings: z.strictObject({ conversation: nonEmpty }),
  platform: 'teams',
  cardVersion: '1.5',
  pacing: TEAMS_BOT_PACING,
  can: { thread: true, update: true, mention: true, findEarlierPost: false },
  bot: 'teams',
  address: (settings) => settings.conversation,
  addressed: (conversation) => ({ conversation }),
  notifier(settings, deps: { teams?: TeamsMessenger }) {
    if (!deps.teams) {
      throw new Error(
        'the Teams bot starts with credo-notify: restart it to add the first teams destination',
      );
    }
    return deps.teams.conversation(settings.conversation);
  },
});

/** How credo-notify writes to Teams through its bot: to configured conversations, and to people. */
export interface TeamsMessenger {
  /** The notifier of a destination `teams: { conversation }`: a conversation id or alias. */
  conversation(idOrAlias: string): Notifier<TeamsCard>;
  /** The personal chat the bot has with a user: by Teams id, Entra object id, UPN or email. */
  findPersonal(user: string): Promise<TeamsConversation | undefined>;
  /** Who a user is in Teams: from their personal chat, else from a team's roster. */
  findPerson(user: string): Promise<TeamsUser | undefined>;
  /**
   * The personal chat with a user, opened by the bot when they are in the roster of a team it is
   * installed in and have no chat with it yet; undefined when they are neither.
   */
  reachPersonal(user: string): Promise<TeamsConversation | undefined>;
  /** Writes to someone in their personal chat with the bot. */
  sendToPersonal(conversation: TeamsConversation, card: TeamsCard): Promise<SendResult>;
}

/** How the bot posts, whatever SDK runs it (inbound/teams/teams-ai/ today). */
export interface TeamsPoster {
  /**
   * Posts a card into a conversation and returns the new activity's id (if Teams gave one).
   * With `threadId` (the id of a root post) it replies in that channel thread; with `updateId`
   * it replaces that activity. Failures are DeliveryErrors, classified.
   */
  post(
    conversation: TeamsConversation,
    card: TeamsCard,
    options?: { threadId?: string; updateId?: string },
  ): Promise<string | undefined>;
  /** Creates the 1:1 conversation with a team's member; returns its id. Failures are DeliveryErrors. */
  openPersonal(member: TeamMember): Promise<string>;
}

/**
 * Posts Adaptive Cards through the bot into the conversations it was added to. Each send looks
 * the conversation up in the store, so one captured by any instance, at any time, is usable.
 * The message id returned is the Teams activity id: threads reply under it, updates replace it.
 */
export function createTeamsMessenger(options: {
  bot: TeamsPoster;
  directory: ConversationDirectory;
}): TeamsMessenger {
  const { bot, directory } = options;
  /** Posts unless Teams refused the bot there; a refusal now is remembered for the next sends. */
  const post = async (
    conversation: TeamsConversation,
    card: TeamsCard,
    context: Pick<SendContext, 'threadId' | 'updateId'> = {},
  ) => {
    if (conversation.inactive) throw new ConversationGoneError(conversation.inactive.reason);
    try {
      const messageId = await bot.post(conversation, card, {
        threadId: context.threadId,
        updateId: context.updateId,
      });
      return { messageId, channelId: conversation.id };
    } catch (error) {
      if (error instanceof ConversationGoneError) await directory.markInactive(conversation.id, error.said);
      throw error;
    }
  };
  return {
    conversation: (target) => ({
      async send(card, context) {
        const conversation = await directory.find(target);
        if (!conversation) {
          // Retryable: events may well arrive before someone adds the bot there.
          throw new DeliveryError(
            `the Teams bot has not been added to "${target}" yet: add it there and use the alias it announces`,
            { code: 'CN_TEAMS_NOT_ADDED', retryable: true },
          );
        }
        return post(conversation, card, context);
      },
    }),
    findPersonal: (user) => directory.findPersonal(user),
    async findPerson(user) {
      return (await directory.findPersonal(user))?.user ?? (await directory.findMember(user))?.user;
    },
    async reachPersonal(user) {
      const chat = await directory.findPersonal(user);
      if (chat) return chat;
      const member = await directory.findMember(user);
      if (!member) return undefined;
      const id = await bot.openPersonal(member);
      const conversation = { id, conversationType: 'personal', tenantId: member.team.tenantId };
      const { conversation: opened } = await directory.remember({
        id,
        kind: 'personal',
        name: member.user.name,
        teamName: null,
        tenantId: member.team.tenantId,
        user: member.user,
        reference: { ...member.team.reference, conversation },
        aliases: [],
      });
      return opened;
    },
    async sendToPersonal(conversation, card) {
      try {
        return await post(conversation, card);
      } catch (error) {
        // Someone who blocked the bot, or whose chat is gone, is out of reach: no dead letter.
        if (!(error instanceof ConversationGoneError)) throw error;
        throw new PersonUnreachableError(error.message);
      }
    },
  };
}
