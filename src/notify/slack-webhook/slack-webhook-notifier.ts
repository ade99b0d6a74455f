import { z } from 'zod';
import { httpUrl } from '../../fields.js';
import { retryAfterSeconds } from '../../http/retry-after.js';
import type { SlackMessage } from '../../messages.js';
import { defineKind } from '../destination-kind.js';
import type { Notifier } from '../notifier.js';
import { SLACK_PACING } from '../pacing.js';
import { postJson } from '../post-json.js';
import { classifySlackFailure } from '../slack/classify-slack-failure.js';

/**
 * `slackWebhook: { url }`: a Slack incoming webhook. It answers only "ok", with no message id:
 * no threads, no updates, nothing to look up.
 */
export const slackWebhookKind = defineKind({
  settings: z.strictObject({ url: httpUrl }),
  platform: 'slack',
  pacing: SLACK_PACING,
  can: { thread: false, update: false, mention: true, findEarlierPost: false },
  notifier: (settings) => createSlackWebhookNotifier(settings),
});

export interface SlackWebhookNotifierOptions {
  /** The incoming-webhook URL. It is the credential: it never appears in an error or a log. */
  url: string;
  /** How long one post may take, so a hung Slack cannot hold a job forever. */
  timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 10_000;

/**
 * Posts to a Slack incoming webhook. Such a webhook answers only "ok": it gives no message id,
 * so it can neither start threads nor update messages, and each message stands alone.
 */
export function createSlackWebhookNotifier(options: SlackWebhookNotifierOptions): Notifier<SlackMessage> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  return {
    async send(message) {
      const { text, blocks } = message;
      const response = await postJson(options.url, { text, blocks }, timeoutMs, classifySlackFailure);
      const answer = await response.text().catch(() => '');
      if (response.ok) return {};
      throw classifySlackFailure({
        kind: 'answered',
        status: response.status,
        code: slackErrorCodeIn(answer),
        retryAfterSeconds: retryAfterSeconds(response.headers.get('retry-after')),
      });
    },
  };
}

/** Slack answers a failed webhook post with a bare code (`no_service`); a proxy's HTML page is no code. */
function slackErrorCodeIn(answer: string): string | undefined {
  const trimmed = answer.trim();
  return /^[a-z][a-z0-9_]*$/.test(trimmed) ? trimmed : undefined;
}
