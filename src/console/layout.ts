import { assetUrl } from './assets.js';
import { type Html, html } from './html.js';

export const CONSOLE_PREFIX = '/console';

export const PAGES = [
  { path: '/deliveries', title: 'Deliveries' },
  { path: '/dead-letters', title: 'Dead letters' },
  { path: '/subscriptions', title: 'Subscriptions' },
  { path: '/route-tester', title: 'Route tester' },
  { path: '/gallery', title: 'Template gallery' },
  { path: '/status', title: 'Status' },
] as const;

export type PagePath = (typeof PAGES)[number]['path'];

/**
 * htmx reads its settings from this meta tag. No eval and no scripts from swapped content: the
 * pages need neither, and the Content-Security-Policy forbids them anyway. No injected style
 * element either, which that policy would refuse.
 */
const HTMX_CONFIG = JSON.stringify({
  allowEval: false,
  allowScriptTags: false,
  includeIndicatorStyles: false,
  selfRequestsOnly: true,
});

export interface PageOptions {
  title: string;
  /** The signed-in operator's CSRF token, sent by htmx with every request; none on sign-in. */
  csrfToken?: string;
  active?: PagePath;
  /** Adaptive Cards, for pages that draw Teams cards. */
  cards?: boolean;
  body: Html;
}

export function page(options: PageOptions): Html {
  const prefix = CONSOLE_PREFIX;
  const headers =
    options.csrfToken === undefined ? undefined : JSON.stringify({ 'x-csrf-token': options.csrfToken });
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="htmx-config" content="${HTMX_CONFIG}">
<title>${options.title} · credo-notify</title>
<link rel="stylesheet" href="${assetUrl(prefix, 'console.css')}">
<script src="${assetUrl(prefix, 'htmx.min.js')}" defer></script>
${
  options.cards
    ? html`<script src="${assetUrl(prefix, 'markdown-it.min.js')}" defer></script>
<script src="${assetUrl(prefix, 'adaptivecards.min.js')}" defer></script>
<script src="${assetUrl(prefix, 'cards.js')}" defer></script>`
    : ''
}
</head>
<body${headers === undefined ? '' : html` hx-headers="${headers}"`}>
<header>
<strong class="brand">credo-notify</strong>
${options.csrfToken === undefined ? '' : navigation(options.active, options.csrfToken)}
</header>
<main>
<h1>${options.title}</h1>
${options.body}
</main>
</body>
</html>
`;
}

function navigation(active: PagePath | undefined, csrfToken: string): Html {
  return html`<nav>
${PAGES.map(
  (entry) =>
    html`<a href="${CONSOLE_PREFIX}${entry.path}"${entry.path === active ? html` aria-current="page"` : ''}>${entry.title}</a>`,
)}
</nav>
<form method="post" action="${CONSOLE_PREFIX}/sign-out" class="sign-out">
<input type="hidden" name="_csrf" value="${csrfToken}">
<button type="submit">Sign out</button>
</form>`;
}

/** A time as operators read it in logs: ISO 8601, UTC, to the second. */
export function timeText(ms: number | null | undefined): string {
  return ms === null || ms === undefined ? '' : new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
