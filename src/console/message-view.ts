import type { Config } from '../config/schema.js';
import { formatsOf, type MessageFormat } from '../notify/kinds.js';
import type { Renderer, RenderInput } from '../render/renderer.js';
import { TemplateError } from '../render/template-error.js';
import { type Html, html } from './html.js';

/** Slack's Block Kit Builder opens a message given as JSON after the `#`. */
const BLOCK_KIT_BUILDER = 'https://app.slack.com/block-kit-builder/#';

/**
 * One message as the page shows it: Slack's as Block Kit JSON with a link into Block Kit
 * Builder, Teams' as a card the page's renderer draws (console-ui/cards.js) and checks again at
 * the Adaptive Card version it was rendered at, a template that failed as its error, file and line.
 */
export function renderedMessage(
  renderer: Renderer,
  format: MessageFormat,
  template: string,
  input: RenderInput,
): Html {
  try {
    if (format.platform === 'slack') {
      const { blocks } = renderer.render('slack', template, input);
      const json = JSON.stringify({ blocks }, null, 2);
      return html`<p><a class="block-kit-link" href="${BLOCK_KIT_BUILDER}${encodeURIComponent(JSON.stringify({ blocks }))}" target="_blank" rel="noopener">Open in Block Kit Builder</a></p>
<pre class="block-kit">${json}</pre>`;
    }
    const teams = renderer.render('teams', template, input, format.cardVersion);
    const card = JSON.stringify(teams);
    return html`<div class="teams-card" data-card="${card}" data-check-versions="${teams.version}"></div>
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

/** How the configured destinations' messages are rendered, each format once: Workflows' cards are 1.4. */
export function formatsInUse(config: Config): MessageFormat[] {
  return formatsOf(Object.values(config.destinations));
}
