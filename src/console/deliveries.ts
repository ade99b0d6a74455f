import type { FastifyInstance, FastifyReply } from 'fastify';
import { readEvent } from '../events/credo-event.js';
import { reviewIdOf, useCaseIdOf } from '../events/event-fields.js';
import { slackClientFor } from '../notify/slack/slack-client.js';
import { USE_CASE_NAMESPACE } from '../people/credo-lookups.js';
import { actorOf } from '../render/people-in-event.js';
import type { DeliveredJob, DeliveryQuery, EventDeliveries, JobState } from '../store/store.js';
import type { ConsoleState, ConsoleStore } from './console-deps.js';
import { splitErrorCode } from './error-text.js';
import { type Html, html, queryString } from './html.js';
import { CONSOLE_PREFIX, page, timeText } from './layout.js';
import type { PageContext } from './page-context.js';
import { sendHtml } from './page-context.js';

export const PAGE_SIZE = 50;
/** While the first page is open it asks for news this often. */
const POLL_SECONDS = 5;
const STATES: readonly JobState[] = ['pending', 'running', 'done', 'dead'];

/** The filters as they appear in the page's address, so a filtered view can be linked to. */
export interface DeliveryFilters {
  state?: string;
  destination?: string;
  type?: string;
  useCase?: string;
  review?: string;
  event?: string;
  /** `<receivedAt>:<event id>` of the last event of the previous page. */
  before?: string;
}

const FILTER_KEYS = ['state', 'destination', 'type', 'useCase', 'review', 'event', 'before'] as const;

export function deliveryRoutes(scope: FastifyInstance, context: PageContext) {
  const { options } = context;
  scope.get<{ Querystring: DeliveryFilters }>('/deliveries', async (request, reply) => {
    const filters = cleanFilters(request.query);
    const table = await deliveriesTable(options.store, options.state(), filters, options.now());
    return sendHtml(
      reply,
      200,
      page({
        title: 'Deliveries',
        active: '/deliveries',
        csrfToken: context.session(request).csrfToken,
        body: html`${filterForm(filters, options.state())}${table}`,
      }),
    );
  });

  // The table alone: what the open page polls for.
  scope.get<{ Querystring: DeliveryFilters }>('/deliveries/table', async (request, reply) => {
    const filters = cleanFilters(request.query);
    return sendHtml(
      reply,
      200,
      await deliveriesTable(options.store, options.state(), filters, options.now()),
    );
  });

  // A link to a posted Slack message: Slack knows its permalink, so ask it when someone clicks.
  scope.get<{ Params: { id: string } }>('/deliveries/jobs/:id/message', async (request, reply) => {
    const job = await deliveredJob(options.store, Number(request.params.id));
    const slack = options.state().config.slack;
    if (!job?.posted?.channelId || !slack || !isSlackJob(job, options.state())) return notPosted(reply);
    const answer = await slackClientFor(slack).chat.getPermalink({
      channel: job.posted.channelId,
      message_ts: job.posted.messageId,
    });
    const permalink = typeof answer.permalink === 'string' ? answer.permalink : '';
    if (!/^https?:\/\//.test(permalink)) return notPosted(reply);
    return reply.redirect(permalink, 303);
  });
}

function notPosted(reply: FastifyReply) {
  return reply
    .code(404)
    .type('text/plain; charset=utf-8')
    .send('No posted Slack message is known for this job.');
}

async function deliveredJob(store: ConsoleStore, id: number): Promise<DeliveredJob | undefined> {
  const job = Number.isSafeInteger(id) ? await store.getJob(id) : undefined;
  if (!job) return undefined;
  const [found] = await store.searchDeliveries({ eventId: job.eventId, limit: 1 });
  return found?.jobs.find((candidate) => candidate.id === id);
}

/** Whether a job's message went to Slack through the bot, whose posts have a permalink. */
function isSlackJob(job: DeliveredJob, state: ConsoleState): boolean {
  if (job.spec.kind === 'dm') return job.spec.platform === 'slack';
  const destination = state.config.destinations[job.destination];
  return destination !== undefined && 'slack' in destination;
}

function cleanFilters(query: DeliveryFilters): DeliveryFilters {
  const filters: DeliveryFilters = {};
  for (const key of FILTER_KEYS) {
    const value = typeof query[key] === 'string' ? query[key].trim().slice(0, 200) : '';
    if (value !== '') filters[key] = value;
  }
  if (filters.state !== undefined && !STATES.includes(filters.state as JobState)) delete filters.state;
  return filters;
}

export function toDeliveryQuery(filters: DeliveryFilters, limit = PAGE_SIZE): DeliveryQuery {
  const [receivedAt, ...id] = (filters.before ?? '').split(':');
  const before =
    filters.before !== undefined && /^\d+$/.test(receivedAt ?? '')
      ? { receivedAt: Number(receivedAt), id: id.join(':') }
      : undefined;
  return {
    state: filters.state as JobState | undefined,
    destination: filters.destination,
    type: filters.type,
    useCaseId: filters.useCase,
    reviewId: filters.review,
    eventId: filters.event,
    before,
    limit,
  };
}

async function deliveriesTable(
  store: ConsoleStore,
  state: ConsoleState,
  filters: DeliveryFilters,
  now: number,
): Promise<Html> {
  const found = await store.searchDeliveries(toDeliveryQuery(filters));
  const names = await useCaseNames(store, found, now);
  const last = found.at(-1)?.event;
  const { before: _before, ...unpaged } = filters;
  const older =
    found.length === PAGE_SIZE && last
      ? html`<a class="older" href="${CONSOLE_PREFIX}/deliveries${queryString({ ...unpaged, before: `${last.receivedAt}:${last.id}` })}">Older events →</a>`
      : '';
  // Only the first page follows the news: a later page would shift under the reader.
  const poll =
    filters.before === undefined
      ? html` hx-get="${CONSOLE_PREFIX}/deliveries/table${queryString({ ...filters })}" hx-trigger="every ${POLL_SECONDS}s" hx-swap="outerHTML"`
      : '';
  return html`<section id="deliveries"${poll}>
${
  found.length === 0
    ? html`<p class="empty">No events match.</p>`
    : html`<table class="deliveries">
<thead><tr><th>Received</th><th>Event</th><th>Use case</th><th>Review</th><th>Actor</th><th>Deliveries</th></tr></thead>
<tbody>
${found.map((item) => eventRow(item, state, names, now))}
</tbody>
</table>`
}
${older}
</section>`;
}

function eventRow(item: EventDeliveries, state: ConsoleState, names: Map<string, string>, now: number): Html {
  const { event, jobs } = item;
  const read = readEvent(event);
  const useCaseId = useCaseIdOf(read);
  const reviewId = reviewIdOf(read);
  const actor = actorOf(read);
  return html`<tr data-event-id="${event.id}">
<td>${timeText(event.receivedAt)}</td>
<td><span class="event-type">${event.type === 'unknown' ? event.rawType : event.type}</span><br><code class="event-id">${event.id}</code></td>
<td>${useCaseId === undefined ? '' : html`<span class="use-case-name">${names.get(useCaseId) ?? ''}</span><br><code>${useCaseId}</code>`}</td>
<td>${reviewId === undefined ? '' : html`<code class="review-id">${reviewId}</code>`}</td>
<td>${actor.name ?? actor.email ?? actor.id ?? ''}</td>
<td>${jobs.length === 0 ? html`<span class="muted">no route matched</span>` : html`<ul class="jobs">${jobs.map((job) => jobItem(job, state, now))}</ul>`}</td>
</tr>`;
}

function jobItem(job: DeliveredJob, state: ConsoleState, now: number): Html {
  const error = job.lastError === null ? undefined : splitErrorCode(job.lastError);
  const link =
    job.posted && isSlackJob(job, state)
      ? html` <a class="message-link" href="${CONSOLE_PREFIX}/deliveries/jobs/${job.id}/message" target="_blank" rel="noopener">message in Slack</a>`
      : job.posted
        ? html` <span class="muted">posted as <code>${job.posted.messageId}</code></span>`
        : '';
  const next =
    job.state === 'pending'
      ? html` · next try ${job.runAt <= now ? 'now' : timeText(job.runAt)}`
      : job.state === 'dead'
        ? html` · <a href="${CONSOLE_PREFIX}/dead-letters">dead letter</a>`
        : '';
  return html`<li class="job state-${job.state}" data-job-id="${job.id}">
<span class="destination">${job.destination}</span> <span class="status">${job.state}</span> · ${job.attempts} attempt${job.attempts === 1 ? '' : 's'}${next}${link}
${error ? html`<br><span class="error">${error.code ? html`<code class="error-code">${error.code}</code> ` : ''}${error.message}</span>` : ''}
</li>`;
}

function filterForm(filters: DeliveryFilters, state: ConsoleState): Html {
  const input = (name: keyof DeliveryFilters, label: string, placeholder: string) =>
    html`<label>${label} <input name="${name}" value="${filters[name] ?? ''}" placeholder="${placeholder}"></label>`;
  const destinations = [...state.destinations.keys()];
  return html`<form method="get" action="${CONSOLE_PREFIX}/deliveries" class="filters">
<label>Status <select name="state"><option value="">any</option>${STATES.map((value) => html`<option${value === filters.state ? html` selected` : ''}>${value}</option>`)}</select></label>
<label>Destination <input name="destination" list="destination-names" value="${filters.destination ?? ''}" placeholder="any"></label>
<datalist id="destination-names">${destinations.map((name) => html`<option value="${name}"></option>`)}</datalist>
${input('type', 'Event type', 'use_case_review_comment')}
${input('useCase', 'Use case id', 'any')}
${input('review', 'Review id', 'any')}
${input('event', 'Event id', 'msg_…')}
<button type="submit">Filter</button> <a href="${CONSOLE_PREFIX}/deliveries">Clear</a>
</form>`;
}

/** Use case names the people lookups remembered (issue #4): none without `credo.api`. */
async function useCaseNames(store: ConsoleStore, found: readonly EventDeliveries[], now: number) {
  const ids = new Set(found.flatMap((item) => useCaseIdOf(readEvent(item.event)) ?? []));
  const names = new Map<string, string>();
  for (const id of ids) {
    const remembered = await store.kvGet(USE_CASE_NAMESPACE, id, now);
    const name = remembered === undefined ? undefined : (JSON.parse(remembered) as unknown);
    if (typeof name === 'string') names.set(id, name);
  }
  return names;
}
