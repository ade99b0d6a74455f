import type { TeamsCard } from '../../messages.js';

/**
 * A message carrying one Adaptive Card: what the Bot Framework connector and a Teams Workflows
 * webhook both take.
 */
export function cardActivity(card: TeamsCard) {
  return {
    type: 'message' as const,
    attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', content: card }],
  };
}
