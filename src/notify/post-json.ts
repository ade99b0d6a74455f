import { fetchWithDeadline, type HttpAnswer } from '../http/fetch-with-deadline.js';
import type { PlatformFailure } from './platform-failure.js';

/**
 * POSTs `body` as JSON (to a Slack incoming webhook, a Teams workflow, a Slack Web API method)
 * and returns the answer, whatever its status. Gives up after `timeoutMs`, so a hung endpoint
 * cannot hold a job forever. No answer at all is thrown as `failed` makes it, without the fetch
 * error as its cause: that error may quote the URL, which is the credential of a webhook.
 * `headers` go beside the content type (a bearer token): no error or log ever carries them.
 */
export async function postJson(
  url: string,
  body: unknown,
  timeoutMs: number,
  failed: (failure: PlatformFailure) => Error,
  headers: Record<string, string> = {},
): Promise<HttpAnswer> {
  try {
    return await fetchWithDeadline(
      url,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
        body: JSON.stringify(body),
      },
      timeoutMs,
    );
  } catch (error) {
    throw failed({ kind: 'unanswered', error });
  }
}
