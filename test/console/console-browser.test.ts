import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createSqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { createSubscriptionBook } from '../../src/subscriptions/subscription-book.js';
import { launchChromium, SCREENSHOT_DIR } from '../helpers/chromium.js';
import { type FakeSlack, startFakeSlack } from '../helpers/fake-slack.js';
import { fixtureEvent } from '../helpers/fixture-events.js';
import { processConfigHead } from '../helpers/process-with-fake-slack.js';
import { type ServerProcess, startServerProcess } from '../helpers/server-process.js';
import { sendSigned } from '../helpers/signed-delivery.js';
import { eventually } from '../helpers/test-server.js';

const ADMIN_TOKEN = 'console-admin-token-0123456789-abcdef';
const COMMENT = JSON.parse(fixtureEvent('use_case_review_comment').body) as { data: Record<string, unknown> };
const USE_CASE_ID = 'QHG9s995aVztB6Xc3caXyW';
/** Markup that would run, were it ever taken for HTML: each sets a flag the test reads. */
const HOSTILE =
  '<script>window.__pwned = "script"</script><img src=x onerror="window.__pwned = \'onerror\'">';

const config = `${processConfigHead()}destinations:
  governance: { slack: { channel: C0GOVERNANCE } }
  risk-workflow: { teamsWorkflow: { url: "http://127.0.0.1:9/workflow" } }
routes:
  - name: reviews
    match: { events: ["use_case_review_*"] }
    to: [governance]
  - name: names
    match: { events: ["use_case_name_updated"] }
    to: [risk-workflow]
mentions: { directMessages: { taggedUsers: false, taskAssignees: false } }
admin: { token: "\${ADMIN_TOKEN}" }
`;

/** What a user reads in an element, without the layout's spaces around it. */
const text = async (locator: Locator) => ((await locator.textContent()) ?? '').trim();
const POLL = { timeout: 15_000, interval: 200 };

/**
 * The operator console in Debian's Chromium, against the real server process and the fake
 * Slack: what an operator clicks, and what they see. Each test leaves a screenshot of its page
 * in test-output/console/.
 */
// A page load, a click and a poll each wait on the server process and Chromium: on a loaded
// 2-core machine a test takes several times its idle 3 s.
describe('operator console in a browser', { timeout: 90_000 }, () => {
  let dir: string;
  let slack: FakeSlack;
  let server: ServerProcess;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;

  // One server for the file, as starting one costs seconds: each test reads only its own review.
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'credo-notify-console-'));
    slack = await startFakeSlack();
    writeFileSync(join(dir, 'credo-notify.yaml'), config);
    [server, browser] = await Promise.all([
      startServerProcess({
        configPath: join(dir, 'credo-notify.yaml'),
        env: { DB_PATH: join(dir, 'store.db'), SLACK_API_URL: slack.url, ADMIN_TOKEN },
      }),
      launchChromium(),
    ]);
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await server?.kill();
    await slack?.close();
    rmSync(dir, { recursive: true, force: true });
  });
  beforeEach(async () => {
    context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    context.setDefaultTimeout(10_000);
    page = await context.newPage();
  });
  afterEach(async () => {
    await context?.close();
  });

  const screenshot = (name: string) => page.screenshot({ path: join(SCREENSHOT_DIR, `${name}.png`) });
  const signIn = async (token = ADMIN_TOKEN) => {
    await page.goto(`${server.url}/console`);
    await page.getByLabel('Admin token').fill(token);
    await page.getByRole('button', { name: 'Sign in' }).click();
  };
  /** A review comment on a review of its own, and once Slack has it (unless refused), its message. */
  const deliverComment = async (reviewId: string, data: Record<string, unknown> = {}) => {
    const body = JSON.stringify({ ...COMMENT, data: { ...COMMENT.data, reviewId, ...data } });
    expect((await sendSigned(`${server.url}/webhooks/credo`, body)).status).toBe(200);
  };
  const messagesOf = (reviewId: string) =>
    slack.messages.filter((message) => JSON.stringify(message.blocks).includes(reviewId));
  const postsOf = (reviewId: string) =>
    slack.callsTo('chat.postMessage').filter((call) => JSON.stringify(call.body.blocks).includes(reviewId));
  const openDeliveries = (target: Page, reviewId: string) =>
    target.goto(`${server.url}/console/deliveries?review=${reviewId}`);

  it('refuses a wrong token, then signs in with the right one', async () => {
    await signIn('not-the-admin-token-at-all');
    expect(await text(page.getByRole('alert'))).toBe('Wrong token.');
    expect((await context.cookies()).map((cookie) => cookie.name)).not.toContain('cn_console');
    await screenshot('sign-in');

    await page.getByLabel('Admin token').fill(ADMIN_TOKEN);
    await page.getByRole('button', { name: 'Sign in' }).click();

    await page.getByRole('heading', { name: 'Deliveries' }).waitFor();
    const [cookie] = await context.cookies();
    expect(cookie).toMatchObject({
      name: 'cn_console',
      httpOnly: true,
      sameSite: 'Strict',
      path: '/console',
    });
  });

  it('finds a delivered event by its review id, with a link to its Slack message', async () => {
    await deliverComment('ReviewDelivered0000001');
    await deliverComment('ReviewOther00000000001');
    // Both sent before the filter is tried (the other a second later, at the channel's pace): it
    // must leave one out, and no post of this test may take the next test's scripted answer.
    await eventually(() => expect(messagesOf('ReviewDelivered0000001')).toHaveLength(1));
    await eventually(() => expect(messagesOf('ReviewOther00000000001')).toHaveLength(1));
    await signIn();

    await page.getByLabel('Review id').fill('ReviewDelivered0000001');
    await page.getByRole('button', { name: 'Filter' }).click();

    const row = page.locator('tr[data-event-id]');
    await expect.poll(() => row.count(), POLL).toBe(1);
    expect(await text(row.locator('.review-id'))).toBe('ReviewDelivered0000001');
    await expect.poll(() => text(row.locator('.job .status')), POLL).toBe('done');
    const link = row.getByRole('link', { name: 'message in Slack' });
    const answer = await page.request.get(`${server.url}${await link.getAttribute('href')}`, {
      maxRedirects: 0,
    });
    const [posted] = messagesOf('ReviewDelivered0000001');
    expect(answer.status()).toBe(303);
    expect(answer.headers().location).toBe(
      `https://fake.slack.com/archives/${posted?.channel}/p${posted?.ts.replace('.', '')}`,
    );
    await screenshot('deliveries');
  });

  it('retries a dead letter from the page; it reaches Slack and the open deliveries view shows it sent', async () => {
    slack.answerNext('chat.postMessage', { error: 'channel_not_found' });
    await deliverComment('ReviewDeadLetter000001');
    await eventually(() => expect(postsOf('ReviewDeadLetter000001')).toHaveLength(1));
    await signIn();
    const deliveries = await context.newPage();
    await openDeliveries(deliveries, 'ReviewDeadLetter000001');
    await expect.poll(() => text(deliveries.locator('.job .status')), POLL).toBe('dead');

    await page.getByRole('link', { name: 'Dead letters' }).click();
    const letter = page.locator('tr[data-dead-letter]', { hasText: 'use_case_review_comment' });
    await expect.poll(() => letter.count(), POLL).toBe(1);
    await screenshot('dead-letters');
    await letter.getByRole('button', { name: 'Retry', exact: true }).click();

    await expect.poll(() => text(page.getByRole('status')), POLL).toContain('back in the queue');
    await eventually(() => expect(messagesOf('ReviewDeadLetter000001')).toHaveLength(1));
    expect(postsOf('ReviewDeadLetter000001')).toHaveLength(2);
    // The deliveries page opened before the retry updates itself, without a reload.
    await expect.poll(() => text(deliveries.locator('.job .status')), POLL).toBe('done');
  });

  it('answers the route tester for a sample event: the route, why, and the message', async () => {
    const callsBefore = slack.calls.length;
    await signIn();
    await page.getByRole('link', { name: 'Route tester' }).click();
    await page.getByLabel('Sample event').selectOption('use_case_review_comment');
    await page.getByRole('button', { name: 'Test the routes' }).click();

    const answer = page.locator('#route-answer');
    await expect
      .poll(() => text(answer.locator('[data-route="reviews"]')), POLL)
      .toContain('matches: sends to governance');
    expect(await text(answer.locator('[data-route="names"]'))).toContain('does not match');
    expect(await text(answer.locator('[data-destination="governance"] .block-kit'))).toContain('"blocks"');
    expect(
      await answer.getByRole('link', { name: 'Open in Block Kit Builder' }).getAttribute('href'),
    ).toMatch(/^https:\/\/app\.slack\.com\/block-kit-builder\/#%7B%22blocks%22/);
    expect(slack.calls.length).toBe(callsBefore);
    await screenshot('route-tester');
  });

  it('draws every Teams card of the gallery with the Adaptive Cards renderer, without an error', async () => {
    await signIn();
    await page.getByRole('link', { name: 'Template gallery' }).click();

    const cards = page.locator('[data-platform="teams"] [data-card]');
    const count = await cards.count();
    expect(count).toBeGreaterThanOrEqual(15);
    await expect.poll(() => page.locator('[data-card][data-render="ok"]').count(), POLL).toBe(count);
    expect(await page.locator('[data-card][data-render="failed"]').count()).toBe(0);
    expect(await page.locator('.template-error').count()).toBe(0);
    expect(await page.locator('[data-platform="slack"] .block-kit').count()).toBe(count);
    await page.locator('[data-platform="teams"]').scrollIntoViewIfNeeded();
    await screenshot('gallery');
  });

  it('shows hostile text from events as text: nothing of it runs', async () => {
    const user = { userId: 'U1', givenName: HOSTILE, familyName: 'x', email: 'x@example.com' };
    await deliverComment('ReviewHostile000000001', { comment: `Look ${HOSTILE}`, user });
    await eventually(() => expect(messagesOf('ReviewHostile000000001')).toHaveLength(1));
    // A use case name as the Credo AI API would have told it: remembered in the store.
    const store = createSqliteStore({ path: join(dir, 'store.db') });
    await store.kvSet('use-case', USE_CASE_ID, JSON.stringify(`Use case ${HOSTILE}`), null);
    await store.close();

    await signIn();
    await openDeliveries(page, 'ReviewHostile000000001');
    const row = page.locator('tr[data-event-id]');
    expect(await text(row.locator('.use-case-name'))).toBe(`Use case ${HOSTILE}`);
    expect(await text(row.locator('td').nth(4))).toContain(HOSTILE);

    const renamed = {
      type: 'CredoAI.use_case_name_updated',
      data: { useCaseId: USE_CASE_ID, name: `Renamed ${HOSTILE}`, user },
    };
    await page.getByRole('link', { name: 'Route tester' }).click();
    await page.getByLabel(/paste a delivery/).fill(JSON.stringify(renamed));
    await page.getByRole('button', { name: 'Test the routes' }).click();
    const card = page.locator('#route-answer [data-card]');
    await expect.poll(() => card.getAttribute('data-render'), POLL).toBe('ok');
    // Teams' escaping puts a word joiner after each "<" (render/teams-escape.ts): still the same text.
    expect((await text(card)).replaceAll('\u2060', '')).toContain(`Renamed ${HOSTILE}`);

    expect(await page.evaluate(() => (globalThis as { __pwned?: string }).__pwned)).toBeUndefined();
    expect(await page.locator('main script, main img[src="x"]').count()).toBe(0);
    await screenshot('hostile-text');
  });

  it('refuses a state-changing request without the CSRF token, and takes it with the token', async () => {
    slack.answerNext('chat.postMessage', { error: 'channel_not_found' });
    await deliverComment('ReviewCsrf000000000001');
    await eventually(() => expect(postsOf('ReviewCsrf000000000001')).toHaveLength(1));
    await signIn();
    await openDeliveries(page, 'ReviewCsrf000000000001');
    await expect.poll(() => text(page.locator('.job .status')), POLL).toBe('dead');
    const id = await page.locator('.job').getAttribute('data-job-id');
    const retry = `${server.url}/console/dead-letters/${id}/retry`;

    const without = await page.request.post(retry, { form: { x: '1' } });
    const forged = await page.request.post(retry, { headers: { 'x-csrf-token': 'forged' } });
    expect([without.status(), forged.status()]).toEqual([403, 403]);
    expect(postsOf('ReviewCsrf000000000001')).toHaveLength(1);

    const headers = JSON.parse((await page.locator('body').getAttribute('hx-headers')) ?? '{}');
    expect((await page.request.post(retry, { headers })).status()).toBe(200);
    await eventually(() => expect(messagesOf('ReviewCsrf000000000001')).toHaveLength(1));
  });

  it('shows the chat subscriptions, who made each, and removes one (issue 13)', async () => {
    // Made from Slack, as `/credo subscribe` stores it; in the server's own store.
    const store = createSqliteStore({ path: join(dir, 'store.db') });
    try {
      await createSubscriptionBook(store, Date.now).put({
        platform: 'slack',
        conversationId: 'C0SUBSCRIBED',
        useCase: USE_CASE_ID,
        useCaseName: HOSTILE,
        events: ['use_case_review_status_updated'],
        by: { id: 'U0ANN', name: 'Ann Lee' },
        at: Date.now(),
      });
    } finally {
      await store.close();
    }
    await signIn();
    await page.getByRole('link', { name: 'Subscriptions' }).click();
    const row = page.locator('tr[data-subscription]', { hasText: 'C0SUBSCRIBED' });
    await expect.poll(() => row.count(), POLL).toBe(1);
    expect(await text(row.locator('td').nth(3))).toBe('reviews');
    expect(await text(row.locator('td').nth(4))).toBe('Ann Lee');
    // A use case's name is Credo AI users' text: shown, never run.
    expect(await text(row.locator('td').nth(2))).toContain('<script>');
    expect(await page.evaluate(() => (globalThis as { __pwned?: string }).__pwned)).toBeUndefined();
    await screenshot('subscriptions');

    page.once('dialog', (dialog) => dialog.accept());
    await row.getByRole('button', { name: 'Remove' }).click();
    await expect.poll(() => text(page.getByRole('status')), POLL).toContain('gets nothing more of');
    expect(await row.count()).toBe(0);
  });

  it('shows the status: the destination, its last success, the queue and the config file', async () => {
    await deliverComment('ReviewStatus0000000001');
    await eventually(() => expect(messagesOf('ReviewStatus0000000001')).toHaveLength(1));
    await signIn();
    await page.getByRole('link', { name: 'Status' }).click();

    const governance = page.locator('tr[data-destination="governance"]');
    expect(await text(governance.locator('td').nth(1))).toBe('slack (slack)');
    expect(await text(governance.locator('td').nth(2))).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(await text(page.locator('[data-stat="pending"]'))).toMatch(/^\d+$/);
    await page.getByText(join(dir, 'credo-notify.yaml')).waitFor();
    await screenshot('status');
    // The README's picture (docs/console.png): every event this file sent, sent and dead ones.
    await page.getByRole('link', { name: 'Deliveries' }).click();
    await page.locator('tr[data-event-id]').first().waitFor();
    await screenshot('console');
  });
});
