import { verifySlackRequest } from '@slack/bolt';
import type { Refusal } from '../../errors.js';

/** Node's incoming headers (names lower case). */
export type SlackRequestHeaders = Record<string, string | string[] | undefined>;

export type SlackVerification = { ok: true } | Refusal;

/**
 * Slack allows five minutes between its signing and our check
 * (https://api.slack.com/authentication/verifying-requests-from-slack).
 */
const TOLERANCE_SECONDS = 5 * 60;

/**
 * Checks that Slack signed this request: `X-Slack-Signature: v0=` + hex HMAC-SHA256 of
 * `v0:{X-Slack-Request-Timestamp}:{raw body}` with the app's signing secret, compared in
 * constant time, by Bolt's own `verifySlackRequest` on our clock's now. Before it, the headers
 * are read here so that each refusal has its code, and a timestamp from the future is refused
 * too: Bolt only refuses old ones, and Slack's docs say "more than five minutes from local time".
 */
export function verifySlackSignature(
  signingSecret: string,
  request: { headers: SlackRequestHeaders; rawBody: string },
  nowMs: number,
): SlackVerification {
  const signature = single(request.headers['x-slack-signature']);
  const timestamp = single(request.headers['x-slack-request-timestamp']);
  if (!signature || !timestamp || !/^\d{1,12}$/.test(timestamp)) {
    return {
      ok: false,
      code: 'CN_SLACK_SIGNATURE_MISSING',
      reason: 'missing X-Slack-Signature or X-Slack-Request-Timestamp (whole seconds) header',
    };
  }
  const timestampSeconds = Number(timestamp);
  if (Math.abs(nowMs / 1000 - timestampSeconds) > TOLERANCE_SECONDS) {
    return {
      ok: false,
      code: 'CN_SLACK_SIGNATURE_STALE',
      reason: 'X-Slack-Request-Timestamp is more than 5 minutes from now',
    };
  }
  try {
    verifySlackRequest({
      signingSecret,
      body: request.rawBody,
      headers: { 'x-slack-signature': signature, 'x-slack-request-timestamp': timestampSeconds },
      nowMilliseconds: nowMs,
    });
    return { ok: true };
  } catch {
    // Bolt's words name only the rule broken; the one left after the checks above is the signature.
    return { ok: false, code: 'CN_SLACK_SIGNATURE_INVALID', reason: 'X-Slack-Signature does not match' };
  }
}

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
