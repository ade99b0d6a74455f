import * as webApi from '@slack/web-api';
import { z } from 'zod';
import { nonEmpty } from '../../fields.js';
import type { SlackMessage } from '../../messages.js';
import { defineKind } from '../destination-kind.js';
import type { Notifier, SendContext, SendResult } from '../notifier.js';
import { SLACK_PACING } from '../pacing.js';
import type { PlatformFailure } from '../platform-failure.js';
import { createChannelIds } from './channel-ids.js';
import { classifySlackFailure } from './classify-slack-failure.js';
import { findEarlierPost, jobMetadata, mayHavePostedBefore } from './earlier-post.js';
import {
  type SlackBotDeps,
  type SlackBotOptions,
  type SlackClientOptions,
  slackClientFor,
} from './slack-client.js';
import { callSlackMethod, SlackCallFailed } from './slack-method.js';

/** `slack: { channel }`: a channel (or person) written to through credo-notify's Slack bot. */
export const slackKind = defineKind({
  settings: z.strictObject({ channel: nonEmpty }),
  platform: 'slack',
  pacing: SLACK_PACING,
  can: { thread: true, update: true, mention: true, findEarlierPost: true },
  bot: 'slack',
  address: (settings) => settings.channel,
  addressed: (channel) => ({ channel }),
  notifier(settings, deps: SlackBotDeps & { slack?: SlackClientOptions }) {
    if (!deps.slack) throw new Error('slack destinations need slack.botToken');
    const { store, clock, log } = deps;
    return createSlackNotifier({ ...deps.slack, store, clock, log, channel: settings.channel });
  },
});

export type SlackNotifierOptions = SlackBotOptions & {
  /** Channel id (`C…`), `#name`, or a user id for a direct message. */
  channel: string;
};

/**
 * Posts Block Kit messages through the Slack Web API: a new message, a reply in a thread, or an
 * update of an earlier message. Mentions come from the template as `<@U…>`; `link_names` and
 * `parse: full` stay off so text from Credo AI can never turn into a mention.
 */
export function createSlackNotifier(options: SlackNotifierOptions): Notifier<SlackMessage> {
  const { channel, log } = options;
  const client = slackClientFor(options);
  const channels = createChannelIds({ ...options, client });
  /** Replies and updates go by id: chat.update takes nothing else (a thread's parent has its own). */
  const channelIdFor = async (context: SendContext) =>
    context.channelId ?? (await channels.known(channel)) ?? channel;
  /**
   * Where Slack will not let us look (no history scope, no such channel by that name), the job
   * posts again: a message sent twice is the lesser harm than one never sent. When Slack cannot
   * answer now, the send fails as retryable, like a post would.
   */
  const earlierPost = async (context: SendContext): Promise<SendResult | undefined> => {
    if (!mayHavePostedBefore(context)) return undefined;
    try {
      const channelId = await channels.find(channel);
      return channelId === undefined ? undefined : await findEarlierPost(client, channelId, context);
    } catch (error) {
      if (classifySlackFailure(slackFailureOf(error), { log }).retryable) throw error;
      return undefined;
    }
  };
  const post = async (slack: SlackMessage, context: SendContext): Promise<SendResult> => {
    const earlier = await earlierPost(context);
    if (earlier) return earlier;
    const result = await callSlackMethod(options, 'chat.postMessage', {
      channel: context.threadId ? await channelIdFor(context) : channel,
      text: slack.text,
      blocks: slack.blocks,
      ...(context.threadId ? { thread_ts: context.threadId } : {}),
      metadata: jobMetadata(context),
    });
    // The answer's `channel` is the ID, whatever the destination was written as.
    if (result.channel) await channels.learn(channel, result.channel);
    return { messageId: result.ts, channelId: result.channel };
  };
  return {
    async send(slack, context) {
      try {
        if (!context.updateId) return await post(slack, context);
        const result = await callSlackMethod(options, 'chat.update', {
          channel: await channelIdFor(context),
          ts: context.updateId,
          text: slack.text,
          blocks: slack.blocks,
        });
        return { messageId: result.ts, channelId: result.channel };
      } catch (error) {
        throw classifySlackFailure(slackFailureOf(error), { cause: error, channel, log });
      }
    },
  };
}

export function slackFailureOf(error: unknown): PlatformFailure {
  if (error instanceof SlackCallFailed) return error.failure;
  if (error instanceof webApi.WebAPIPlatformError) {
    const { needed } = error.data as { needed?: unknown };
    return {
      kind: 'answered',
      status: 200,
      code: error.data.error,
      needed: typeof needed === 'string' ? needed : undefined,
    };
  }
  if (error instanceof webApi.WebAPIRateLimitedError) {
    return { kind: 'answered', status: 429, retryAfterSeconds: error.retryAfter };
  }
  if (error instanceof webApi.WebAPIHTTPError) return { kind: 'answered', status: error.statusCode };
  if (error instanceof webApi.WebAPIRequestError) return { kind: 'unanswered', error: error.original };
  // Anything else (a 429 without a usable Retry-After, say) is worth another try.
  return { kind: 'unanswered', error };
}
