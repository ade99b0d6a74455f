import { Application } from '@microsoft/teams-ai';
import { type Activity, type ConversationReference, TeamsInfo, TurnContext } from 'botbuilder';
import type { Logger } from '../../../log.js';
import type { TeamsCard } from '../../../messages.js';
import { DeliveryError } from '../../../notify/notifier.js';
import type { PlatformFailure } from '../../../notify/platform-failure.js';
import { cardActivity } from '../../../notify/teams/card-activity.js';
import {
  classifyTeamsFailure,
  isConversationGone,
  retryAfterSeconds,
} from '../../../notify/teams/classify-teams-failure.js';
import { ConversationGoneError } from '../../../notify/teams/conversation-gone.js';
import type { BotActivity, MemberProfile } from '../bot-activity.js';
import type { BotAnswer, BotBehaviour, BotTurn, TeamsBot } from '../teams-bot.js';
import { type BotAuthentication, createBotAdapter } from './bot-adapter.js';
import { connectorOf, ownRetriesAndTimeout } from './owned-connector.js';

/**
 * Everything that knows @microsoft/teams-ai (and the Bot Framework SDK under it) is in this
 * folder; the rest of credo-notify sees a TeamsBot. Loaded only when Teams is configured: the
 * SDK takes about a second to import.
 */
export interface TeamsAiBotOptions {
  auth: BotAuthentication;
  behaviour: BotBehaviour;
  log: Logger;
  /** How long one send may take, so a hung connector cannot hold a job forever. */
  timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 10_000;
const SERVICE = 'Teams';

export function createTeamsAiBot(options: TeamsAiBotOptions): TeamsBot {
  const { auth, behaviour, log } = options;
  const appId = auth.mode === 'authenticated' ? auth.appId : '';
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const adapter = createBotAdapter(auth);
  const app = new Application({ adapter, botAppId: appId || undefined, startTypingTimer: false });

  const answer = async (context: TurnContext) => {
    try {
      const card = await behaviour.handle(await turnOf(context, log));
      if (card) await context.sendActivity(cardActivity(card));
    } catch (error) {
      // Teams does not redeliver an activity: there is nothing better to do than say so.
      log.error({ err: error, type: context.activity.type }, 'the Teams bot could not handle an activity');
    }
  };
  app.conversationUpdate('membersAdded', answer);
  app.conversationUpdate('membersRemoved', answer);
  app.activity('installationUpdate', answer);
  app.activity('message', answer);

  return {
    anonymous: !appId,

    async handle(request) {
      const reply: BotAnswer = { status: 200, headers: {} };
      // The adapter answers through an Express-like response; Fastify sends what it collected.
      const response = {
        socket: undefined,
        status: (code: number) => {
          reply.status = code;
        },
        header: (name: string, value: unknown) => {
          reply.headers[name] = String(value);
        },
        send: (body?: unknown) => {
          if (body !== undefined) reply.body = body;
        },
        end: () => {},
      };
      const body = (request.body ?? {}) as Record<string, unknown>;
      await adapter.process({ body, headers: request.headers, method: 'POST' }, response, async (context) => {
        await app.run(context);
      });
      return reply;
    },

    async post(conversation, card, { threadId, updateId } = {}) {
      // Teams threads exist in channels only; in a chat a reply is just the next message.
      const target =
        threadId && conversation.kind === 'channel'
          ? `${conversation.id};messageid=${threadId}`
          : conversation.id;
      const reference = conversation.reference as Partial<ConversationReference>;
      const activity = outgoing(card, reference, target);
      let sent: { id?: string } | undefined;
      // Caught inside the turn too: an adapter's onTurnError, if one is ever set, would swallow it.
      let failure: unknown;
      try {
        await adapter.continueConversationAsync(appId, reference, async (context) => {
          try {
            const connector = connectorOf(context);
            ownRetriesAndTimeout(connector, timeoutMs);
            sent = updateId
              ? await connector.conversations.updateActivity(target, updateId, { ...activity, id: updateId })
              : await connector.conversations.sendToConversation(target, activity);
          } catch (error) {
            failure = error;
          }
        });
      } catch (error) {
        failure = error;
      }
      // Our token source's refusals say what is wrong already.
      if (failure instanceof DeliveryError) throw failure;
      // No cause attached: the SDK's errors carry the request, bearer token included.
      if (failure !== undefined || !sent) {
        const failed = failureOf(failure);
        const classified = classifyTeamsFailure(failed, SERVICE);
        throw isConversationGone(failed) ? new ConversationGoneError(classified.message) : classified;
      }
      return sent.id ?? updateId;
    },
  };
}

/** A new message (not a reply to the continuation) carrying the card, into `conversationId`. */
function outgoing(
  card: TeamsCard,
  reference: Partial<ConversationReference>,
  conversationId: string,
): Partial<Activity> {
  const activity = TurnContext.applyConversationReference(
    { ...cardActivity(card), summary: typeof card.fallbackText === 'string' ? card.fallbackText : undefined },
    reference,
  );
  delete activity.replyToId;
  return { ...activity, conversation: { ...activity.conversation, id: conversationId } } as Partial<Activity>;
}

async function turnOf(context: TurnContext, log: Logger): Promise<BotTurn> {
  const activity = context.activity as unknown as BotActivity;
  const reference = TurnContext.getConversationReference(context.activity) as unknown as Record<
    string,
    unknown
  >;
  return { activity, reference, profile: await profileOf(context, log) };
}

/** For a personal chat, who it is with: a direct message finds them by email later. */
async function profileOf(context: TurnContext, log: Logger): Promise<MemberProfile | undefined> {
  const { conversation, from } = context.activity;
  if (conversation?.conversationType !== 'personal' || !from?.id) return undefined;
  try {
    const member = await TeamsInfo.getMember(context, from.id);
    return {
      email: member.email,
      userPrincipalName: member.userPrincipalName,
      name: member.name,
      aadObjectId: member.aadObjectId,
    };
  } catch (error) {
    log.warn({ error: (error as Error).message }, 'could not read the Teams profile of a personal chat');
    return undefined;
  }
}

/** The connector's RestError, read by shape: its package is the SDK's, not ours. */
function failureOf(error: unknown): PlatformFailure {
  const rest = error as {
    statusCode?: unknown;
    code?: unknown;
    response?: { headers?: { get(name: string): string | undefined } };
  };
  if (typeof rest?.statusCode !== 'number') return { kind: 'unanswered', error };
  return {
    kind: 'answered',
    status: rest.statusCode,
    code: typeof rest.code === 'string' && /^\w{1,64}$/.test(rest.code) ? rest.code : undefined,
    retryAfterSeconds: retryAfterSeconds(rest.response?.headers?.get('retry-after')),
  };
}
