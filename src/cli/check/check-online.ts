import type { Config } from '../../config/schema.js';
import { createCredoApiClient } from '../../credo-api/client.js';
import { slackClientFor } from '../../notify/slack/slack-client.js';
import { error, type Finding, note } from './finding.js';

/**
 * `check --online`: asks the services whether the config works with them. The Slack token
 * (auth.test), each Slack channel (conversations.info: does it exist, is the bot in it) and
 * the Credo AI API token (listing the webhooks). Nothing is posted or changed.
 */
export async function checkOnline(config: Config): Promise<Finding[]> {
  return [...(await checkSlack(config)), ...(await checkCredoApi(config))];
}

async function checkSlack(config: Config): Promise<Finding[]> {
  if (!config.slack) return [];
  const client = slackClientFor({ botToken: config.slack.botToken, apiUrl: config.slack.apiUrl });
  try {
    await client.auth.test();
  } catch (failure) {
    return [error('slack.botToken', `Slack refused the token (auth.test: ${slackError(failure)})`)];
  }
  const findings: Finding[] = [];
  for (const [name, destination] of Object.entries(config.destinations)) {
    if (!('slack' in destination)) continue;
    const channel = destination.slack.channel;
    const where = `destinations.${name}.slack.channel`;
    // conversations.info takes ids only; a user id is a DM, which the bot opens itself.
    if (!/^[CG]/.test(channel)) {
      if (channel.startsWith('#'))
        findings.push(note(where, `"${channel}" not checked online: only ids can be`));
      continue;
    }
    try {
      const answer = await client.conversations.info({ channel });
      if (!answer.channel?.is_member) {
        findings.push(
          error(
            where,
            `the bot is not in ${channel} (#${answer.channel?.name}): invite it with /invite @your-bot`,
          ),
        );
      }
    } catch (failure) {
      findings.push(error(where, `Slack cannot find ${channel} for this bot (${slackError(failure)})`));
    }
  }
  return findings;
}

async function checkCredoApi(config: Config): Promise<Finding[]> {
  const api = config.credo.api;
  if (!api) return [];
  try {
    await createCredoApiClient(api).listWebhooks();
    return [];
  } catch (failure) {
    return [error('credo.api', `the Credo AI API refused: ${(failure as Error).message}`)];
  }
}

function slackError(failure: unknown): string {
  const data = (failure as { data?: { error?: unknown } }).data;
  return typeof data?.error === 'string' ? data.error : (failure as Error).message;
}
