import { readFileSync } from 'node:fs';
import type { SlackMessage } from '../../src/messages.js';

/**
 * A Block Kit message made from a real fixture payload, the way a template would: the
 * notifiers must carry it to Slack untouched, mrkdwn, mention syntax and all.
 */
export function reviewCommentMessage(): SlackMessage {
  const { data } = JSON.parse(
    readFileSync(new URL('../../samples/events/use_case_review_comment.json', import.meta.url), 'utf8'),
  ) as { data: { comment: string; reviewId: string; useCaseId: string } };
  return {
    text: `New comment on review ${data.reviewId}`,
    blocks: [
      { type: 'header', text: { type: 'plain_text', text: 'New review comment' } },
      { type: 'section', text: { type: 'mrkdwn', text: `> ${data.comment}` } },
      { type: 'divider' },
      {
        type: 'section',
        fields: [
          { type: 'mrkdwn', text: `*Use case*\n${data.useCaseId}` },
          { type: 'mrkdwn', text: `*Review*\n${data.reviewId}` },
        ],
      },
      { type: 'context', elements: [{ type: 'mrkdwn', text: 'Tagged: <@U02JOHNDOE>' }] },
    ],
  };
}
