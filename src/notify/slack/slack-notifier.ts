import * as webApi from '@slack/web-api';
import { z } from 'zod';
import { nonEmpty } from '../../fields.js';
import type { SlackMessage } from '../../messages.js';
import { defineKind } from '../destination-kind.js';
import type { Notifier, SendContext } from '../notifier.js';
import { SLACK_PACING } from '../pacing.js';
import type { PlatformFailure } from '../platform-failure.js';
import { classifySlackFailure } from './classify-slack-failure.js';
import { findEarlierPost, jobMetadata } from './earlier-post.js';
import { type SlackClientOptions, slackClientFor } from './slack-client.js';

/** `slack: { channel }`: a channel (or person) written to through credo-notify's Slack bot. */
export const slackKind = defineKind({
  settings: z.strictObject({ channel: nonEmpty }),
  platform: 'slack',
  pacing: SLACK_PACING,
  can: { thread: true, update: true, mention: true, findEarlierPost: true },
  bot: 'slack',
  address: (settings) => settings.channel,
  notifier(settings, deps: { slack?: SlackClientOptions }) {
    if (!deps.slack) throw new Error('slack destinations need slack.botToken');
    return createSlackNotifier({ ...deps.slack, channel: settings.channel });
  },
});

export interface SlackNotifierOptions extends SlackClientOptions {
  /** Channel id (`C…`), `#name`, or a user id for a direct message. */
  channel: string;
}

/**
 * Posts Block Kit messages through the Slack Web API: a new message, a reply in a thread, or an
 * update of an earlier message. Mentions come from the template as `<@U…>`; `link_names` and
 * `parse: full` stay off so text from Credo AI can never turn into a mention.
 */
export function createSlackNotifier(options: SlackNotifierOptions): Notifier<SlackMessage> {
  const client = slackClientFor(options);
  /**
   * Where Slack will not let us look (no history scope, a `#name` channel), the job posts again:
   * a message sent twice is the lesser harm than one never sent. When Slack cannot answer now,
   * the send fails as retryable, like a post would.
   */
  const earlierPost = (context: SendContext) =>
    findEarlierPost(client, options.channel, context).catch((error: unknown) => {
      if (classifySlackFailure(slackFailureOf(error)).retryable) throw error;
      return undefined;
    });
  return {
    async send(slack, context) {
      try {
        const earlier = context.updateId ? undefined : await earlierPost(context);
        if (earlier) return earlier;
        const result = context.updateId
          ? await client.chat.update({
              // chat.update takes only channel ids: a `#name` destination relies on the id its post returned.
              channel: context.channelId ?? options.channel,
              ts: context.updateId,
              text: slack.text,
              blocks: slack.blocks,
            })
          : await client.chat.postMessage({
              channel: options.channel,
              text: slack.text,
              blocks: slack.blocks,
              ...(context.threadId ? { thread_ts: context.threadId } : {}),
              metadata: jobMetadata(context),
            });
        return { messageId: result.ts, channelId: result.channel };
      } catch (error) {
        throw classifySlackFailure(slackFailureOf(error), error);
      }
    },
  };
}

export function slackFailureOf(error: unknown): PlatformFailure {
  if (error instanceof webApi.WebAPIPlatformError) {
    return { kind: 'answered', status: 200, code: error.data.error };
  }
  if (error instanceof webApi.WebAPIRateLimitedError) {
    return { kind: 'answered', status: 429, retryAfterSeconds: error.retryAfter };
  }
  if (error instanceof webApi.WebAPIHTTPError) return { kind: 'answered', status: error.statusCode };
  if (error instanceof webApi.WebAPIRequestError) return { kind: 'unanswered', error: error.original };
  // Anything else (a 429 without a usable Retry-After, say) is worth another try.
  return { kind: 'unanswered', error };
}
