import type { FastifyInstance } from 'fastify';
import { kindOf } from '../notify/kinds.js';
import type { EventDeliveries, JobState } from '../store/store.js';
import type { ConsoleOptions } from './console-deps.js';
import { splitErrorCode } from './error-text.js';
import { type Html, html, queryString } from './html.js';
import { CONSOLE_PREFIX, page, timeText } from './layout.js';
import { type PageContext, sendHtml } from './page-context.js';

/**
 * How things stand: each destination's last success and last error (from the store, so every
 * instance's work counts), the queue, the routes, and the config in force.
 */
export function statusRoutes(scope: FastifyInstance, context: PageContext) {
  scope.get('/status', async (request, reply) =>
    sendHtml(
      reply,
      200,
      page({
        title: 'Status',
        active: '/status',
        csrfToken: context.session(request).csrfToken,
        body: await statusBody(context.options),
      }),
    ),
  );
}

async function statusBody(options: ConsoleOptions): Promise<Html> {
  const { config } = options.state();
  const [stats, destinations] = await Promise.all([
    options.store.stats(),
    Promise.all(Object.keys(config.destinations).map((name) => destinationRow(options, name))),
  ]);
  const info = options.configInfo();
  const now = options.now();
  return html`<h2>Queue</h2>
<dl class="facts">
<dt>Pending</dt><dd data-stat="pending">${stats.pending}</dd>
<dt>Sending</dt><dd data-stat="running">${stats.running}</dd>
<dt>Dead letters</dt><dd data-stat="dead"><a href="${CONSOLE_PREFIX}/dead-letters">${stats.dead}</a></dd>
<dt>Oldest unfinished</dt><dd>${stats.oldestPendingAt === null ? 'none' : `${timeText(stats.oldestPendingAt)} (${Math.round((now - stats.oldestPendingAt) / 1000)} s ago)`}</dd>
</dl>
<h2>Destinations</h2>
<table class="destinations">
<thead><tr><th>Name</th><th>Kind</th><th>Last success</th><th>Last error</th></tr></thead>
<tbody>${destinations}</tbody>
</table>
<h2>Routes</h2>
<ol class="routes">${config.routes.map(
    (route, index) =>
      html`<li><strong>${route.name ?? `routes[${index}]`}</strong>: ${route.match.events.join(', ')} → ${route.to.join(', ')}${route.continue ? ' (continue)' : ''}${route.template ? ` · template ${route.template}` : ''} · thread ${route.thread}</li>`,
  )}</ol>
<p class="muted">Chat subscriptions: none in this version.</p>
<h2>Config</h2>
<dl class="facts">
<dt>File</dt><dd><code>${info.source}</code></dd>
<dt>Loaded</dt><dd>${timeText(info.loadedAt)}</dd>
<dt>Store</dt><dd><code>${config.store.url.replace(/\/\/[^@/]*@/, '//…@')}</code></dd>
</dl>`;
}

async function destinationRow(options: ConsoleOptions, name: string): Promise<Html> {
  const destination = options.state().config.destinations[name];
  const kind = destination ? Object.keys(destination)[0] : '';
  const latest = async (state: JobState) =>
    (await options.store.searchDeliveries({ destination: name, state, limit: 1 }))[0];
  const [done, pending, dead] = await Promise.all([latest('done'), latest('pending'), latest('dead')]);
  const failed = [pending, dead]
    .filter((item): item is EventDeliveries => item !== undefined)
    .flatMap((item) =>
      item.jobs
        .filter((job) => job.destination === name && job.lastError !== null)
        .map((job) => ({ job, at: item.event.receivedAt })),
    )
    .sort((a, b) => b.at - a.at)[0];
  const error = failed?.job.lastError ? splitErrorCode(failed.job.lastError) : undefined;
  return html`<tr data-destination="${name}">
<td><a href="${CONSOLE_PREFIX}/deliveries${queryString({ destination: name })}">${name}</a></td>
<td>${kind}${destination ? ` (${kindOf(destination).platform})` : ''}</td>
<td>${done ? timeText(done.event.receivedAt) : html`<span class="muted">none yet</span>`}</td>
<td>${error ? html`${timeText(failed?.at)} ${error.code ? html`<code class="error-code">${error.code}</code> ` : ''}${error.message}` : html`<span class="muted">none</span>`}</td>
</tr>`;
}
