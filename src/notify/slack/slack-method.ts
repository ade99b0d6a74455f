import { retryAfterSeconds } from '../../http/retry-after.js';
import type { PlatformFailure } from '../platform-failure.js';
import { postJson } from '../post-json.js';
import { apiBaseOf, DEFAULT_TIMEOUT_MS, type SlackClientOptions } from './slack-client.js';

/** A Slack call that failed, as classify-slack-failure.ts reads it. Carries no token. */
export class SlackCallFailed extends Error {
  constructor(readonly failure: PlatformFailure) {
    super(failure.kind === 'answered' ? (failure.code ?? `HTTP ${failure.status}`) : 'no answer from Slack');
    this.name = 'SlackCallFailed';
  }
}

/** What chat.postMessage and chat.update answer: where the message is. */
export interface PostedAnswer {
  channel?: string;
  ts?: string;
}

/**
 * Calls a Web API write method with a JSON body, the way Slack recommends for chat.postMessage
 * and chat.update (docs.slack.dev/apis/web-api#posting_json: the token as a bearer in the
 * Authorization header). The hot path of every delivery, so not through the WebClient: its
 * queue, its retry wrapper and its form encoding are work our worker already does (pacing,
 * retries), and cost about a tenth of a message's CPU (issue 17, profiled). Every failure is
 * thrown as a SlackCallFailed.
 */
export async function callSlackMethod(
  options: SlackClientOptions,
  method: 'chat.postMessage' | 'chat.update',
  args: Record<string, unknown>,
): Promise<PostedAnswer> {
  const answer = await postJson(
    `${apiBaseOf(options)}${method}`,
    args,
    options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    (failure) => new SlackCallFailed(failure),
    { authorization: `Bearer ${options.botToken}` },
  );
  // Slack's 429 comes with Retry-After: the seconds this channel waits (docs.slack.dev/apis/web-api/rate-limits).
  if (answer.status === 429)
    throw new SlackCallFailed({
      kind: 'answered',
      status: 429,
      retryAfterSeconds: retryAfterSeconds(answer.headers.get('retry-after')),
    });
  if (!answer.ok) throw new SlackCallFailed({ kind: 'answered', status: answer.status });
  const body = (await answer.json().catch(() => undefined)) as
    | { ok?: unknown; error?: unknown; needed?: unknown; channel?: unknown; ts?: unknown }
    | undefined;
  // An HTTP 200 that is not Slack's JSON (a proxy's page) is no answer from Slack.
  if (typeof body?.ok !== 'boolean')
    throw new SlackCallFailed({ kind: 'unanswered', error: new Error('not a Web API answer') });
  if (!body.ok)
    throw new SlackCallFailed({
      kind: 'answered',
      status: 200,
      code: typeof body.error === 'string' ? body.error : 'unknown_error',
      needed: typeof body.needed === 'string' ? body.needed : undefined,
    });
  return {
    channel: typeof body.channel === 'string' ? body.channel : undefined,
    ts: typeof body.ts === 'string' ? body.ts : undefined,
  };
}
