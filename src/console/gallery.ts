import type { FastifyInstance } from 'fastify';
import { loadSampleEvents } from '../render/sample-events.js';
import { type Html, html } from './html.js';
import { page } from './layout.js';
import { formatsInUse, renderedMessage } from './message-view.js';
import type { PageContext } from './page-context.js';
import { sendHtml } from './page-context.js';

/**
 * Every sample event on every platform the config's destinations use, rendered with the
 * templates in force (the user's `templates.dir` overrides included), as a route without a
 * `template` of its own would render it.
 */
export function galleryRoutes(scope: FastifyInstance, context: PageContext) {
  scope.get('/gallery', async (request, reply) => {
    const state = context.options.state();
    const samples = loadSampleEvents();
    const sections = formatsInUse(state.config).map(
      (format) => html`<section class="platform" data-platform="${format.platform}">
<h2>${format.platform === 'slack' ? 'Slack' : 'Microsoft Teams'}${format.cardVersion ? html` <span class="count">Adaptive Cards ${format.cardVersion}</span>` : ''}</h2>
<div class="gallery">
${samples.map((sample) => {
  const template = state.renderer.templateFor(format.platform, sample.input.event.type);
  return html`<article class="gallery-item" data-sample="${sample.name}">
<h3>${sample.name} <span class="count">template ${template}</span></h3>
${renderedMessage(state.renderer, format, template, sample.input)}
</article>`;
})}
</div>
</section>`,
    );
    const body: Html =
      sections.length === 0
        ? html`<p class="empty">No destinations are configured.</p>`
        : html`<p class="muted">${samples.length} sample events, rendered now with the templates in force.</p>${sections}`;
    return sendHtml(
      reply,
      200,
      page({
        title: 'Template gallery',
        active: '/gallery',
        csrfToken: context.session(request).csrfToken,
        cards: true,
        body,
      }),
    );
  });
}
