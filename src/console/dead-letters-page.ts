import type { FastifyInstance } from 'fastify';
import {
  type DeadLetter,
  dropAllDeadLetters,
  dropDeadLetter,
  listDeadLetters,
  parseWholeNumber,
  retryAllDeadLetters,
  retryDeadLetter,
} from '../admin/dead-letters.js';
import type { ConsoleOptions } from './console-deps.js';
import { splitErrorCode } from './error-text.js';
import { type Html, html } from './html.js';
import { CONSOLE_PREFIX, page, timeText } from './layout.js';
import { type PageContext, sendHtml } from './page-context.js';

/** Enough for any real backlog of dead letters; the CLI and admin API page beyond it. */
const SHOWN = 1_000;
const BASE = `${CONSOLE_PREFIX}/dead-letters`;

/**
 * Dead letters grouped by destination: retry or drop one, or all of a destination's once its
 * channel is fixed. The same functions as the CLI and the admin API do the work. Each action
 * answers with the list as it is now, which htmx puts in place of the old one.
 */
export function deadLetterRoutes(scope: FastifyInstance, context: PageContext) {
  const { options } = context;
  scope.get(`/dead-letters`, async (request, reply) =>
    sendHtml(
      reply,
      200,
      page({
        title: 'Dead letters',
        active: '/dead-letters',
        csrfToken: context.session(request).csrfToken,
        body: await deadLetterList(options),
      }),
    ),
  );

  const act = (path: string, action: (options: ConsoleOptions, target: string) => Promise<string>) =>
    scope.post<{ Params: { target: string } }>(`/dead-letters/${path}`, async (request, reply) =>
      sendHtml(reply, 200, await deadLetterList(options, await action(options, request.params.target))),
    );

  act(':target/retry', async (options, target) => {
    const id = parseWholeNumber(target);
    if (id === undefined || !(await retryDeadLetter(options.store, id, options.now()))) {
      return `Dead letter ${target} is gone: retried or dropped meanwhile.`;
    }
    options.onRequeued();
    return `Dead letter ${id} is back in the queue; Deliveries shows it once it is sent.`;
  });
  act(':target/drop', async (options, target) => {
    const id = parseWholeNumber(target);
    const dropped = id !== undefined && (await dropDeadLetter(options.store, id));
    return dropped
      ? `Dead letter ${id} dropped.`
      : `Dead letter ${target} is gone: retried or dropped meanwhile.`;
  });
  act('destinations/:target/retry', async (options, destination) => {
    const count = await retryAllDeadLetters(options.store, options.now(), destination);
    if (count > 0) options.onRequeued();
    return `${count} dead letter${count === 1 ? '' : 's'} of ${destination} back in the queue.`;
  });
  act('destinations/:target/drop', async (options, destination) => {
    const count = await dropAllDeadLetters(options.store, destination);
    return `${count} dead letter${count === 1 ? '' : 's'} of ${destination} dropped.`;
  });
}

async function deadLetterList(options: ConsoleOptions, notice?: string): Promise<Html> {
  const letters = await listDeadLetters(options.store, SHOWN);
  const byDestination = new Map<string, DeadLetter[]>();
  for (const letter of letters) {
    byDestination.set(letter.destination, [...(byDestination.get(letter.destination) ?? []), letter]);
  }
  return html`<section id="dead-letters" hx-target="this" hx-swap="outerHTML">
${notice ? html`<p class="notice" role="status">${notice}</p>` : ''}
${letters.length === 0 ? html`<p class="empty">No dead letters.</p>` : ''}
${[...byDestination].map(([destination, group]) => destinationGroup(destination, group))}
</section>`;
}

function destinationGroup(destination: string, letters: readonly DeadLetter[]): Html {
  const path = `${BASE}/destinations/${encodeURIComponent(destination)}`;
  return html`<article class="dead-destination" data-destination="${destination}">
<h2>${destination} <span class="count">${letters.length}</span></h2>
<p class="actions">
<button hx-post="${path}/retry">Retry all of ${destination}</button>
<button class="danger" hx-post="${path}/drop" hx-confirm="Drop all ${letters.length} dead letters of ${destination}? They are not sent.">Drop all</button>
</p>
<table>
<thead><tr><th>Id</th><th>Event</th><th>Received</th><th>Attempts</th><th>Last error</th><th></th></tr></thead>
<tbody>
${letters.map((letter) => letterRow(letter))}
</tbody>
</table>
</article>`;
}

function letterRow(letter: DeadLetter): Html {
  const error = letter.lastError === null ? undefined : splitErrorCode(letter.lastError);
  return html`<tr data-dead-letter="${letter.id}">
<td>${letter.id}</td>
<td>${letter.type}<br><a href="${CONSOLE_PREFIX}/deliveries?event=${encodeURIComponent(letter.eventId)}"><code>${letter.eventId}</code></a></td>
<td>${timeText(Date.parse(letter.receivedAt))}</td>
<td>${letter.attempts}</td>
<td>${error ? html`${error.code ? html`<code class="error-code">${error.code}</code> ` : ''}${error.message}` : ''}</td>
<td class="actions"><button hx-post="${BASE}/${letter.id}/retry">Retry</button> <button class="danger" hx-post="${BASE}/${letter.id}/drop" hx-confirm="Drop dead letter ${letter.id}? It is not sent.">Drop</button></td>
</tr>`;
}
