import { Application } from '@microsoft/teams-ai';
import {
  type Activity,
  type ConversationReference,
  type TeamsChannelAccount,
  TeamsInfo,
  TurnContext,
} from 'botbuilder';
import type { Clock } from '../../../clock.js';
import { retryAfterSeconds } from '../../../http/retry-after.js';
import type { Logger } from '../../../log.js';
import type { TeamsCard } from '../../../messages.js';
import { DeliveryError } from '../../../notify/notifier.js';
import { type RateWindow, TEAMS_BOT_PACING } from '../../../notify/pacing.js';
import type { PlatformFailure } from '../../../notify/platform-failure.js';
import { cardActivity } from '../../../notify/teams/card-activity.js';
import { classifyTeamsFailure, isConversationGone } from '../../../notify/teams/classify-teams-failure.js';
import { ConversationGoneError } from '../../../notify/teams/conversation-gone.js';
import type { TeamsUser } from '../../../notify/teams/conversations.js';
import type { BotActivity, MemberProfile, TeamNames } from '../bot-activity.js';
import { type ConversationPace, createConversationPace } from '../conversation-pace.js';
import type { BotAnswer, BotBehaviour, BotTurn, TeamsBot } from '../teams-bot.js';
import { type BotAuthentication, createBotAdapter } from './bot-adapter.js';
import { type ConnectorClient, connectorOf, ownRetriesAndTimeout } from './owned-connector.js';

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
  clock: Clock;
  /** The windows of one conversation: Teams' own unless a test scales them. */
  pacing?: readonly RateWindow[];
}

const DEFAULT_TIMEOUT_MS = 10_000;
/** A worker's post waits no longer than this for the bot's own calls (as the worker's pacer). */
const MAX_POST_WAIT_MS = 2_000;
const SERVICE = 'Teams';

export function createTeamsAiBot(options: TeamsAiBotOptions): TeamsBot {
  const { auth, behaviour, log } = options;
  const appId = auth.mode === 'authenticated' ? auth.appId : '';
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const adapter = createBotAdapter(auth);
  const app = new Application({ adapter, botAppId: appId || undefined, startTypingTimer: false });
  // teams-ai 1.7's Application.run starts its typing timer on every message turn whatever
  // `startTypingTimer` says (node_modules/@microsoft/teams-ai/lib/Application.js, run()): an answer
  // slower than 1 s would send "typing" activities that the conversation's pace never booked,
  // against Teams' rate windows. Each answer here is one card; no typing indicator is wanted.
  app.startTypingTimer = () => {};
  const pace = createConversationPace(options.pacing ?? TEAMS_BOT_PACING, options.clock);

  /**
   * One call to the Bot Connector in a proactive turn of `reference`'s conversation, with our own
   * retries and timeout. Its failure is caught inside the turn too: an adapter's onTurnError, if
   * one is ever set, would swallow it.
   */
  const connectorCall = async <T>(
    reference: Partial<ConversationReference>,
    call: (connector: ConnectorClient) => Promise<T>,
  ): Promise<T> => {
    let result: { value: T } | undefined;
    let failure: unknown;
    try {
      await adapter.continueConversationAsync(appId, reference, async (context) => {
        try {
          const connector = connectorOf(context);
          ownRetriesAndTimeout(connector, timeoutMs);
          result = { value: await call(connector) };
        } catch (error) {
          failure = error;
        }
      });
    } catch (error) {
      failure = error;
    }
    if (failure !== undefined || !result) throw deliveryErrorOf(failure);
    return result.value;
  };

  const answer = async (context: TurnContext) => {
    try {
      const card = await behaviour.handle(await turnOf(context, pace, log));
      const here = context.activity.conversation?.id ?? '';
      if (card) await pace.call(here, () => context.sendActivity(cardActivity(card)));
    } catch (error) {
      // Teams does not redeliver an activity: there is nothing better to do than say so.
      log.error({ err: error, type: context.activity.type }, 'the Teams bot could not handle an activity');
    }
  };
  app.conversationUpdate('membersAdded', answer);
  app.conversationUpdate('membersRemoved', answer);
  for (const event of ['channelRenamed', 'channelDeleted', 'teamRenamed', 'teamDeleted'] as const)
    app.conversationUpdate(event, answer);
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
      const sent = await connectorCall(reference, (connector) =>
        pace.call(
          target,
          () =>
            updateId
              ? connector.conversations.updateActivity(target, updateId, { ...activity, id: updateId })
              : connector.conversations.sendToConversation(target, activity),
          MAX_POST_WAIT_MS,
        ),
      );
      return sent.id ?? updateId;
    },

    async openPersonal(member) {
      const reference = member.team.reference as Partial<ConversationReference>;
      const tenantId = member.team.tenantId ?? '';
      // A 1:1 chat with someone in a team the bot is in: allowed for proactive messages
      // (msteams-docs bots/how-to/conversations/send-proactive-messages.md, "Create the conversation").
      const created = await connectorCall(reference, (connector) =>
        connector.conversations.createConversation({
          isGroup: false,
          bot: reference.bot,
          members: [{ id: member.user.id }],
          tenantId,
          channelData: { tenant: { id: tenantId } },
        }),
      );
      if (!created.id) throw deliveryErrorOf(undefined);
      return created.id;
    },
  };
}

/** What a failed call says, as a DeliveryError that carries no request (nor its bearer token). */
function deliveryErrorOf(failure: unknown): DeliveryError {
  // Our token source's and pace's refusals say what is wrong already.
  if (failure instanceof DeliveryError) return failure;
  const failed = failureOf(failure);
  const classified = classifyTeamsFailure(failed, SERVICE);
  return isConversationGone(failed) ? new ConversationGoneError(classified.message) : classified;
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

async function turnOf(context: TurnContext, pace: ConversationPace, log: Logger): Promise<BotTurn> {
  const activity = context.activity as unknown as BotActivity;
  const reference = TurnContext.getConversationReference(context.activity) as unknown as Record<
    string,
    unknown
  >;
  const teamId = activity.channelData?.team?.id;
  return {
    activity,
    reference,
    profile: await profileOf(context, pace, log),
    ...(teamId ? teamReads(context, teamId, pace) : {}),
  };
}

/**
 * The team's name, channels and roster, which no activity carries (msteams-docs
 * `bots/how-to/get-teams-context.md`): counted in the team's General channel, whose id the
 * team's is, and which Teams counts them in.
 */
function teamReads(context: TurnContext, teamId: string, pace: ConversationPace) {
  return {
    async teamNames(): Promise<TeamNames> {
      const team = await pace.call(teamId, () => TeamsInfo.getTeamDetails(context, teamId));
      const channels = await pace.call(teamId, () => TeamsInfo.getTeamChannels(context, teamId));
      return {
        name: team.name ?? null,
        channels: channels.map((channel) => ({ id: channel.id ?? '', name: channel.name ?? null })),
      };
    },
    async teamMembers(): Promise<TeamsUser[]> {
      const members: TeamsUser[] = [];
      let continuationToken: string | undefined;
      do {
        const page = await pace.call(teamId, () =>
          TeamsInfo.getPagedTeamMembers(context, teamId, undefined, continuationToken),
        );
        members.push(...(page.members ?? []).map(teamsUserOf));
        continuationToken = page.continuationToken ?? undefined;
      } while (continuationToken);
      return members;
    },
    async teamMember(userId: string): Promise<TeamsUser> {
      return teamsUserOf(await pace.call(teamId, () => TeamsInfo.getTeamMember(context, teamId, userId)));
    },
  };
}

function teamsUserOf(member: TeamsChannelAccount): TeamsUser {
  return {
    id: member.id,
    aadObjectId: member.aadObjectId ?? null,
    name: member.name ?? null,
    email: member.email ?? null,
    userPrincipalName: member.userPrincipalName ?? null,
  };
}

/** For a personal chat, who it is with: a direct message finds them by email later. */
async function profileOf(
  context: TurnContext,
  pace: ConversationPace,
  log: Logger,
): Promise<MemberProfile | undefined> {
  const { conversation, from } = context.activity;
  if (conversation?.conversationType !== 'personal' || !from?.id) return undefined;
  try {
    const member = await pace.call(conversation.id, () => TeamsInfo.getMember(context, from.id));
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
