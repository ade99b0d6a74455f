import type { FastifyInstance } from 'fastify';
import type { Config } from '../config/schema.js';
import { readEvent } from '../events/credo-event.js';
import { kindOf, type MessageFormat } from '../notify/kinds.js';
import { describeProblem, parseDelivery } from '../receiver/parse-delivery.js';
import type { RenderInput } from '../render/renderer.js';
import { loadSampleEvents } from '../render/sample-events.js';
import { explainRoutes, verdictOf } from '../routing/explain-routes.js';
import type { ConsoleState } from './console-deps.js';
import { type Html, html } from './html.js';
import { CONSOLE_PREFIX, page } from './layout.js';
import { renderedMessage } from './message-view.js';
import { formOf, type PageContext, sendHtml } from './page-context.js';

/**
 * Which routes an event matches and why, the destinations and direct messages it would make,
 * and each message rendered: the receiver's own parsing, routing and planning, and the
 * worker's templates, with nothing stored and nothing sent.
 */
export function routeTesterRoutes(scope: FastifyInstance, context: PageContext) {
  scope.get('/route-tester', async (request, reply) =>
    sendHtml(
      reply,
      200,
      page({
        title: 'Route tester',
        active: '/route-tester',
        csrfToken: context.session(request).csrfToken,
        cards: true,
        body: html`${testerForm()}<section id="route-answer"></section>`,
      }),
    ),
  );

  scope.post('/route-tester', async (request, reply) => {
    const form = formOf(request);
    const pasted = form.event?.trim() ?? '';
    const input =
      pasted === '' ? sampleInput(form.sample ?? '') : parsePasted(pasted, context.options.state().config);
    const answer =
      typeof input === 'string'
        ? html`<p class="problem" role="alert">${input}</p>`
        : explain(input, context.options.state());
    return sendHtml(reply, 200, html`<section id="route-answer">${answer}</section>`);
  });
}

function testerForm(): Html {
  return html`<form class="route-tester" hx-post="${CONSOLE_PREFIX}/route-tester" hx-target="#route-answer" hx-swap="outerHTML">
<p><label>Sample event <select name="sample">${loadSampleEvents().map((sample) => html`<option>${sample.name}</option>`)}</select></label></p>
<p><label>Or paste a delivery's JSON (it wins over the sample)<br><textarea name="event" spellcheck="false" placeholder='{"type": "CredoAI.use_case_review_comment", "data": {…}}'></textarea></label></p>
<button type="submit">Test the routes</button> <span class="muted">Nothing is stored or sent.</span>
</form>`;
}

function sampleInput(name: string): RenderInput | string {
  return (
    loadSampleEvents().find((sample) => sample.name === name)?.input ?? `No sample event named "${name}".`
  );
}

/** The receiver's own checks; a problem comes back as the text to show. */
function parsePasted(text: string, config: Config): RenderInput | string {
  const parsed = parseDelivery(text, config.credo);
  if (!parsed.ok) return describeProblem(parsed.problem);
  const { event, rawType, payload } = parsed.delivery;
  return {
    event: readEvent({ id: 'msg_route_tester', type: event.type, rawType, payload, receivedAt: Date.now() }),
  };
}

function explain(input: RenderInput, state: ConsoleState): Html {
  const { event } = input;
  const deliveries = state.routes(event);
  const directMessages = state.planDirectMessages(event).jobs;
  const routes = explainRoutes(state.config.routes, event).map((route) => {
    return html`<li class="${route.outcome === 'sends' ? 'met' : 'unmet'}" data-route="${route.name}">
<strong>${route.name}</strong> ${verdictOf(route)}
<ul>${route.checks.map((check) => html`<li class="${check.met ? 'met' : 'unmet'}">${check.met ? '✓' : '✗'} ${check.condition}</li>`)}</ul>
</li>`;
  });
  return html`<h2>${input.event.type === 'unknown' ? `unknown (${input.event.rawType})` : input.event.type}</h2>
<h3>Routes</h3>
${routes.length === 0 ? html`<p class="empty">The config has no routes.</p>` : html`<ol class="routes">${routes}</ol>`}
<p class="muted">Chat subscriptions: none in this version.</p>
<h3>Destinations (${deliveries.length})</h3>
${deliveries.length === 0 ? html`<p class="empty">No destination: the event would be stored and nothing sent.</p>` : ''}
${deliveries.map((delivery) => {
  const destination = state.config.destinations[delivery.destination];
  const format: MessageFormat = destination
    ? kindOf(destination)
    : { platform: 'slack', cardVersion: undefined };
  const template = state.renderer.templateFor(format.platform, input.event.type, delivery.template);
  return html`<article class="rendered" data-destination="${delivery.destination}">
<h4>${delivery.destination} <span class="count">by ${delivery.route} · ${format.platform} · template ${template} · thread ${delivery.thread}</span></h4>
${renderedMessage(state.renderer, format, template, input)}
</article>`;
})}
<h3>Direct messages (${directMessages.length})</h3>
${directMessages.length === 0 ? html`<p class="empty">No direct messages.</p>` : ''}
${directMessages.map((job) => {
  if (job.spec.kind !== 'dm') return '';
  const { platform } = job.spec;
  const template = `dm-${job.spec.reason}`;
  return html`<article class="rendered" data-destination="${job.destination}">
<h4>${job.destination} <span class="count">${job.spec.reason} · ${platform} · template ${template}</span></h4>
${renderedMessage(state.renderer, { platform, cardVersion: undefined }, template, input)}
</article>`;
})}`;
}
