import { z } from 'zod';
import { httpUrl } from '../../fields.js';
import { retryAfterSeconds } from '../../http/retry-after.js';
import type { TeamsCard } from '../../messages.js';
import { defineKind } from '../destination-kind.js';
import type { Notifier } from '../notifier.js';
import { TEAMS_WORKFLOW_PACING } from '../pacing.js';
import { postJson } from '../post-json.js';
import { cardActivity } from '../teams/card-activity.js';
import { classifyTeamsFailure } from '../teams/classify-teams-failure.js';

/**
 * `teamsWorkflow: { url }`: a Teams Workflows webhook. The flow answers 202 and posts later,
 * with no message id: no threads, no updates, nothing to look up. Power Automate's Flow bot
 * posts the card, and it displays Adaptive Cards up to 1.4 only.
 */
export const teamsWorkflowKind = defineKind({
  settings: z.strictObject({ url: httpUrl }),
  platform: 'teams',
  cardVersion: '1.4',
  pacing: TEAMS_WORKFLOW_PACING,
  can: { thread: false, update: false, mention: true, findEarlierPost: false },
  notifier: (settings) => createTeamsWorkflowNotifier(settings),
});

export interface TeamsWorkflowNotifierOptions {
  /** The Workflows webhook URL. Its `sig` is the credential: the URL never appears in an error or a log. */
  url: string;
  /** How long one post may take, so a hung endpoint cannot hold a job forever. */
  timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 10_000;
const SERVICE = 'the Teams workflow';

/**
 * Posts the card to a Teams Workflows webhook ("When a Teams webhook request is received"), for
 * teams without the bot. Microsoft retired Office 365 connectors; this is their successor. The
 * flow answers 202 and posts later, with no message id: no threads, no updates.
 */
export function createTeamsWorkflowNotifier(options: TeamsWorkflowNotifierOptions): Notifier<TeamsCard> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  return {
    async send(card) {
      const response = await postJson(options.url, cardActivity(card), timeoutMs, (failure) =>
        classifyTeamsFailure(failure, SERVICE),
      );
      if (response.ok) return {};
      throw classifyTeamsFailure(
        {
          kind: 'answered',
          status: response.status,
          retryAfterSeconds: retryAfterSeconds(response.headers.get('retry-after')),
        },
        SERVICE,
      );
    },
  };
}
