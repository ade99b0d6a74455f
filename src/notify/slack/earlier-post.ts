import type { SendContext, SendResult } from '../notifier.js';
import type { SlackClient } from './slack-client.js';

/**
 * A job that was taken over, or whose post timed out, may have been posted already. Each post
 * carries its job in Slack message metadata (invisible to people), so a later attempt can look
 * for it before posting again.
 */
const METADATA_TYPE = 'credo_notify';
/** Slack's clock and ours may disagree a little about when the earlier attempt was. */
const CLOCK_SKEW_MS = 5 * 60_000;
/**
 * Since 29 May 2025 Slack answers conversations.history and conversations.replies with at most
 * 15 messages, once a minute, for new apps distributed outside the Slack Marketplace
 * (docs.slack.dev/apis/web-api/rate-limits). One page of 15 is what every app gets: beyond it,
 * the job posts again, as a repeat is the lesser harm than a loss.
 */
export const EARLIER_POST_MESSAGES = 15;

interface SlackHistoryMessage {
  ts?: string;
  metadata?: { event_type?: string; event_payload?: Record<string, unknown> };
}

/** The metadata that marks a post as this job's: the job id and the Svix id of its event. */
export function jobMetadata(context: SendContext) {
  return context.jobId === undefined
    ? undefined
    : { event_type: METADATA_TYPE, event_payload: { job: context.jobId, event: context.eventId } };
}

/** Whether an earlier attempt of the job may have posted unrecorded: only then is it worth a look. */
export function mayHavePostedBefore(context: SendContext): boolean {
  return context.jobId !== undefined && context.earlierAttemptSince !== undefined;
}

/**
 * The message an earlier attempt of this job posted in `channelId` (a reply in `threadId` when
 * the context has one), among the 15 newest since that attempt could have begun, or undefined.
 * Looking needs the channel ID (channel-ids.ts) and the `channels:history` scope
 * (`groups:history`, `im:history` for private channels and DMs). Slack's errors are thrown as
 * the Web API client raised them.
 */
export async function findEarlierPost(
  client: SlackClient,
  channelId: string,
  context: SendContext,
): Promise<SendResult | undefined> {
  if (context.earlierAttemptSince === undefined) return undefined;
  const oldest = ((context.earlierAttemptSince - CLOCK_SKEW_MS) / 1000).toFixed(6);
  const query = { channel: channelId, oldest, limit: EARLIER_POST_MESSAGES, include_all_metadata: true };
  const answer = context.threadId
    ? await client.conversations.replies({ ...query, ts: context.threadId })
    : await client.conversations.history(query);
  const found = (answer.messages as SlackHistoryMessage[] | undefined)?.find(
    (message) =>
      message.ts !== context.threadId &&
      message.metadata?.event_type === METADATA_TYPE &&
      message.metadata.event_payload?.job === context.jobId &&
      message.metadata.event_payload?.event === context.eventId,
  );
  return found?.ts ? { messageId: found.ts, channelId } : undefined;
}
