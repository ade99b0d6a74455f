import { z } from 'zod';
import type { Config } from '../../config/schema.js';
import { error, type Finding, note } from './finding.js';

/** Slack ids: C… public, G… private channels; U…/W… users, whose DM channel the bot opens. */
const CHANNEL_ID = /^[CG][A-Z0-9]{2,}$/;
const USER_ID = /^[UW][A-Z0-9]{2,}$/;
/** Slack channel names: lower case letters, digits, "-" and "_", at most 80 (api.slack.com/methods/conversations.create). */
const CHANNEL_NAME = /^#[a-z0-9][a-z0-9_-]{0,79}$/;

const FORMS =
  'a channel id (C… or G…), a #name in lower case without spaces, or a user id (U… or W…) for a DM';

/**
 * Values Slack would refuse at the first delivery, found now: a channel that cannot be one, a
 * bot token that is not a bot token. A `#name` works but breaks when the channel is renamed.
 */
export function lintSlack(config: Config): Finding[] {
  const findings: Finding[] = [];
  const token = config.slack?.botToken;
  if (token !== undefined && !token.startsWith('xoxb-')) {
    findings.push(
      error(
        'slack.botToken',
        `must be a bot token, starting "xoxb-" (got one starting "${token.slice(0, 5)}"): copy the Bot User OAuth Token from your Slack app's OAuth & Permissions page`,
      ),
    );
  }
  for (const [name, destination] of Object.entries(config.destinations)) {
    if (!('slack' in destination)) continue;
    const channel = destination.slack.channel;
    const where = z.core.toDotPath(['destinations', name, 'slack', 'channel']);
    if (CHANNEL_NAME.test(channel)) {
      findings.push(note(where, `"${channel}" works, but a channel id (C…) is safer: it survives a rename`));
    } else if (!CHANNEL_ID.test(channel) && !USER_ID.test(channel)) {
      findings.push(error(where, `"${channel}" is not ${FORMS}`));
    }
  }
  return findings;
}
