import type { Config } from '../config/schema.js';
import type { Platform } from '../messages.js';
import { type Destination, kindOf } from '../notify/kinds.js';
import type { Renderer, RenderInput } from '../render/renderer.js';
import { TemplateError } from '../render/template-error.js';
import { type Html, html } from './html.js';

/** Slack's Block Kit Builder opens a message given as JSON after the `#`. */
const BLOCK_KIT_BUILDER = 'https://app.slack.com/block-kit-builder/#';

/**
 * One message as the page shows it: Slack's as Block Kit JSON with a link into Block Kit
 * Builder, Teams' as a card the page's renderer draws (console-ui/cards.js), a template that
 * failed as its error, file and line.
 */
export function renderedMessage(
  renderer: Renderer,
  platform: Platform,
  template: string,
  input: RenderInput,
  checkVersions: readonly string[],
): Html {
  try {
    if (platform === 'slack') {
      const { blocks } = renderer.render('slack', template, input);
      const json = JSON.stringify({ blocks }, null, 2);
      return html`<p><a class="block-kit-link" href="${BLOCK_KIT_BUILDER}${encodeURIComponent(JSON.stringify({ blocks }))}" target="_blank" rel="noopener">Open in Block Kit Builder</a></p>
<pre class="block-kit">${json}</pre>`;
    }
    const teams = renderer.render('teams', template, input);
    const card = JSON.stringify(teams);
    return html`<div class="teams-card" data-card="${card}" data-check-versions="${checkVersions.join(' ')}"></div>
<details><summary>Card JSON</summary><pre>${JSON.stringify(teams, null, 2)}</pre></details>`;
  } catch (error) {
    return templateFailure(error);
  }
}

function templateFailure(error: unknown): Html {
  const message = error instanceof Error ? error.message : String(error);
  if (!(error instanceof TemplateError)) return html`<p class="template-error" role="alert">${message}</p>`;
  return html`<p class="template-error" role="alert" data-file="${error.file}" data-line="${error.line ?? ''}">
<strong>Template failed</strong> in <code>${error.file}${error.line === undefined ? '' : `:${error.line}`}</code><br>${message}</p>`;
}

/** The platforms the configured destinations take, and the card versions Teams' ones accept. */
export function platformsInUse(config: Config): Map<Platform, string[]> {
  const inUse = new Map<Platform, string[]>();
  for (const destination of Object.values(config.destinations)) {
    const { platform, cardVersion } = formatOf(destination);
    const versions = inUse.get(platform) ?? [];
    if (cardVersion && !versions.includes(cardVersion)) versions.push(cardVersion);
    inUse.set(platform, versions);
  }
  return inUse;
}

/** Workflows posts cards up to Adaptive Cards 1.4; the bot, up to 1.5. */
export function formatOf(destination: Destination): { platform: Platform; cardVersion?: string } {
  const { kind, platform } = kindOf(destination);
  if (platform !== 'teams') return { platform };
  return { platform, cardVersion: kind === 'teamsWorkflow' ? '1.4' : '1.5' };
}
