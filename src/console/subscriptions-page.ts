import type { FastifyInstance } from 'fastify';
import { describeEventTypes } from '../subscriptions/event-groups.js';
import { ALL_USE_CASES } from '../subscriptions/parse-chat-command.js';
import type { ChatSubscription, SubscriptionKey } from '../subscriptions/subscription-book.js';
import type { ConsoleOptions } from './console-deps.js';
import { type Html, html } from './html.js';
import { CONSOLE_PREFIX, page, timeText } from './layout.js';
import { type PageContext, sendHtml } from './page-context.js';

const BASE = `${CONSOLE_PREFIX}/subscriptions`;

/**
 * The subscriptions people made from the chat, with who made each and when; the operator may
 * remove any. Removing answers with the list as it is now, which htmx puts in place of the old.
 */
export function subscriptionRoutes(scope: FastifyInstance, context: PageContext) {
  const { options } = context;
  scope.get('/subscriptions', async (request, reply) =>
    sendHtml(
      reply,
      200,
      page({
        title: 'Subscriptions',
        active: '/subscriptions',
        csrfToken: context.session(request).csrfToken,
        body: await subscriptionList(options),
      }),
    ),
  );
  scope.post<{ Params: { key: string } }>('/subscriptions/:key/remove', async (request, reply) => {
    const key = keyFrom(request.params.key);
    const removed = key !== undefined && (await options.subscriptions.remove(key, options.now()));
    if (removed) options.onSubscriptionsChanged();
    const notice = removed
      ? `Removed: ${key.platform} conversation ${key.conversationId} gets nothing more of ${useCaseText(key.useCase)}.`
      : 'That subscription is gone: removed meanwhile.';
    return sendHtml(reply, 200, await subscriptionList(options, notice));
  });
}

async function subscriptionList(options: ConsoleOptions, notice?: string): Promise<Html> {
  const subscriptions = await options.subscriptions.list();
  return html`<section id="subscriptions" hx-target="this" hx-swap="outerHTML">
${notice ? html`<p class="notice" role="status">${notice}</p>` : ''}
${
  subscriptions.length === 0
    ? html`<p class="empty">No chat subscriptions: <code>/credo subscribe</code> in Slack or <code>@credo-notify subscribe</code> in Teams makes one.</p>`
    : html`<table>
<thead><tr><th>Platform</th><th>Conversation</th><th>Use case</th><th>Events</th><th>By</th><th>Changed</th><th></th></tr></thead>
<tbody>
${subscriptions.map(row)}
</tbody>
</table>`
}
</section>`;
}

function row(subscription: ChatSubscription): Html {
  const { platform, conversationId, useCase, useCaseName, by } = subscription;
  const key = keyText({ platform, conversationId, useCase });
  const what = `${useCaseText(useCase)}${useCaseName ? ` (${useCaseName})` : ''}`;
  return html`<tr data-subscription="${key}">
<td>${platform}</td>
<td><code>${conversationId}</code></td>
<td>${what}</td>
<td>${describeEventTypes(subscription.events)}</td>
<td>${by.name ?? by.email ?? by.id}</td>
<td>${timeText(subscription.at)}</td>
<td class="actions"><button class="danger" hx-post="${BASE}/${key}/remove" hx-confirm="Remove the subscription of ${conversationId} to ${what}?">Remove</button></td>
</tr>`;
}

/** A subscription's key in a URL: its three parts as base64url JSON, as conversation ids hold `:` and `;`. */
function keyText(key: SubscriptionKey): string {
  return Buffer.from(JSON.stringify([key.platform, key.conversationId, key.useCase])).toString('base64url');
}

function keyFrom(text: string): SubscriptionKey | undefined {
  try {
    const [platform, conversationId, useCase] = JSON.parse(
      Buffer.from(text, 'base64url').toString('utf8'),
    ) as unknown[];
    if (
      (platform !== 'slack' && platform !== 'teams') ||
      typeof conversationId !== 'string' ||
      typeof useCase !== 'string'
    ) {
      return undefined;
    }
    return { platform, conversationId, useCase };
  } catch {
    return undefined;
  }
}

function useCaseText(useCase: string): string {
  return useCase === ALL_USE_CASES ? 'every use case' : useCase;
}
