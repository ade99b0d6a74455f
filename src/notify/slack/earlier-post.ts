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
const PAGE_SIZE = 200;
/** Beyond this many messages since the job began, it is posted again rather than searched for. */
const MAX_PAGES = 5;

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

/**
 * The message an earlier attempt of this job posted in `channel` (a reply in `threadId` when the
 * context has one), or undefined. Looking needs a channel id (not a `#name`) and the
 * `channels:history` scope (`groups:history`, `im:history` for private channels and DMs).
 * Slack's errors are thrown as the Web API client raised them.
 */
export async function findEarlierPost(
  client: SlackClient,
  channel: string,
  context: SendContext,
): Promise<SendResult | undefined> {
  if (context.jobId === undefined || context.earlierAttemptSince === undefined) return undefined;
  const oldest = ((context.earlierAttemptSince - CLOCK_SKEW_MS) / 1000).toFixed(6);
  const isThisJob = (message: SlackHistoryMessage) =>
    message.ts !== context.threadId &&
    message.metadata?.event_type === METADATA_TYPE &&
    message.metadata.event_payload?.job === context.jobId &&
    message.metadata.event_payload?.event === context.eventId;
  let cursor: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const query = { channel, oldest, cursor, limit: PAGE_SIZE, include_all_metadata: true };
    const answer = context.threadId
      ? await client.conversations.replies({ ...query, ts: context.threadId })
      : await client.conversations.history(query);
    const found = (answer.messages as SlackHistoryMessage[] | undefined)?.find(isThisJob);
    if (found?.ts) return { messageId: found.ts, channelId: channel };
    cursor = answer.response_metadata?.next_cursor;
    if (!cursor) return undefined;
  }
  return undefined;
}
