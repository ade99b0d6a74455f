import type { TeamsCard } from '../../messages.js';

/**
 * The cards the bot answers with (welcome, help, status) are built here rather than from
 * templates: they are the bot's own words, not a Credo AI event.
 */
export function botCard(fallbackText: string, body: Array<Record<string, unknown>>): TeamsCard {
  return {
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: '1.5',
    fallbackText,
    body,
  };
}

export function heading(text: string): Record<string, unknown> {
  return { type: 'TextBlock', text, style: 'heading', size: 'Large', weight: 'Bolder', wrap: true };
}

export function paragraph(text: string, options: Record<string, unknown> = {}): Record<string, unknown> {
  return { type: 'TextBlock', text, wrap: true, ...options };
}

export function facts(entries: Array<[string, string]>): Record<string, unknown> {
  return { type: 'FactSet', facts: entries.map(([title, value]) => ({ title, value })) };
}
