import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { configSchema } from '../../src/config/schema.js';
import { createCredoApiClient } from '../../src/credo-api/client.js';
import { openStore } from '../../src/store/open-store.js';
import type { Store } from '../../src/store/store.js';
import type { ChatCommandRequest } from '../../src/subscriptions/chat-command.js';
import { type ChatMemory, createChatMemory } from '../../src/subscriptions/chat-memory.js';
import { createChatCommands } from '../../src/subscriptions/run-chat-command.js';
import { type FakeCredoApi, startFakeCredoApi } from '../helpers/fake-credo-api.js';
import { TEST_SECRET } from '../helpers/signed-delivery.js';
import { createTestClock } from '../helpers/test-clock.js';

/** The command engine both platforms call, on a real store and the fake Credo AI API (issue 13). */
let store: Store;
let credo: FakeCredoApi;
let chat: ChatMemory;
beforeEach(async () => {
  store = openStore('sqlite::memory:');
  await store.migrate();
  credo = await startFakeCredoApi();
  credo.useCases.set('UC_X', { name: 'Fraud Detection Model' });
});
afterEach(async () => {
  await store.close();
  await credo.close();
});

function commands(options: { allow?: unknown; platforms?: Array<'slack' | 'teams'> } = {}) {
  const config = configSchema.parse({
    credo: { auth: { secrets: [TEST_SECRET] } },
    slack: { botToken: 'xoxb-test' },
    destinations: { governance: { slack: { channel: 'C0GOV' } } },
    routes: [{ name: 'governance', match: { events: ['use_case_review_*'] }, to: ['governance'] }],
    ...(options.allow !== undefined && { subscriptions: { allow: options.allow } }),
  });
  const clock = createTestClock(1_760_000_000_000);
  const log = pino({ level: 'silent' });
  chat = createChatMemory({ store, clock, log });
  const api = createCredoApiClient({
    url: credo.url,
    tenant: credo.tenant,
    token: credo.token,
    timeoutMs: 2_000,
  });
  const run = createChatCommands({
    ...chat,
    config: () => config,
    platforms: () => new Set(options.platforms ?? ['slack']),
    credoApi: () => api,
    clock,
    log,
  });
  return Object.assign(run, { clock });
}
const inGovernance = (
  text: string,
  person: ChatCommandRequest['person'] = { id: 'U0ANN' },
): ChatCommandRequest => ({
  platform: 'slack',
  conversationId: 'C0GOV',
  conversationKind: 'channel',
  person,
  text,
});

describe('the chat commands', () => {
  it('adds to a subscription and takes part of it away, saying what is left', async () => {
    const run = commands();
    expect((await run(inGovernance('subscribe UC_X reviews'))).summary).toBe(
      'Subscribed this channel to reviews of Fraud Detection Model (UC_X).',
    );
    const more = await run(inGovernance('subscribe UC_X comments'));
    expect(more.lines).toEqual(['It now gets reviews, comments.']);
    const less = await run(inGovernance('unsubscribe UC_X reviews'));
    expect(less).toEqual({
      ok: true,
      summary: 'Unsubscribed this channel from reviews of Fraud Detection Model (UC_X).',
      lines: ['It still gets comments.'],
    });
    const none = await run(inGovernance('unsubscribe UC_X tasks'));
    expect(none).toMatchObject({ ok: false, code: 'CN_CHAT_NOT_SUBSCRIBED' });
  });

  it('lists the channel subscriptions and the routes sending there, read-only', async () => {
    const run = commands();
    await run(inGovernance('subscribe all tasks'));
    const listed = await run(inGovernance('list'));
    expect(listed.lines).toEqual([
      'every use case: tasks (by U0ANN)',
      'route "governance": use_case_review_* (read-only: a route in credo-notify\'s config)',
    ]);
  });

  it('lets only the people subscriptions.allow names change anything, by chat id or email in any case', async () => {
    const run = commands({ allow: ['U0BOSS', 'Ann@Acme.com'] });
    const refused = await run(inGovernance('subscribe UC_X', { id: 'U0BOB', email: 'bob@acme.com' }));
    expect(refused).toMatchObject({ ok: false, code: 'CN_CHAT_NOT_ALLOWED' });
    expect(await chat.subscriptions.list()).toEqual([]);
    expect((await run(inGovernance('list', { id: 'U0BOB' }))).ok).toBe(true);
    expect((await run(inGovernance('me dm off', { id: 'U0BOB' }))).ok).toBe(true);
    expect((await run(inGovernance('subscribe UC_X', { id: 'U0ANN', email: 'ann@acme.com' }))).ok).toBe(true);
    expect((await run(inGovernance('subscribe UC_X', { id: 'U0BOSS' }))).ok).toBe(true);
  });

  it('refuses a subscription on a platform whose bot is not configured, storing nothing', async () => {
    const run = commands({ platforms: ['teams'] });
    const refused = await run(inGovernance('subscribe UC_X'));
    expect(refused).toMatchObject({ ok: false, code: 'CN_CHAT_PLATFORM_NOT_CONFIGURED' });
    expect(refused.summary).toContain('Slack bot (slack.botToken)');
    expect(await chat.subscriptions.list()).toEqual([]);
  });

  it('changes nothing when the Credo AI API cannot say whether the use case exists', async () => {
    const run = commands();
    credo.setDown(true);
    const refused = await run(inGovernance('subscribe UC_X'));
    expect(refused).toMatchObject({ ok: false, code: 'CN_CHAT_CREDO_API_FAILED' });
    expect(await chat.subscriptions.list()).toEqual([]);
  });

  it('keeps what a person said on the other platform: `me dm off` in Teams keeps quiet hours set in Slack', async () => {
    const run = commands({ platforms: ['slack', 'teams'] });
    const ann = (platform: 'slack' | 'teams', id: string, text: string): ChatCommandRequest => ({
      platform,
      conversationId: `${platform}-chat-with-ann`,
      conversationKind: 'personal',
      person: { id, email: 'ann@acme.com' },
      text,
    });
    await run(ann('slack', 'U0ANN', 'me quiet 19:00-08:00 Europe/Berlin'));
    await run.clock.advance(1_000);
    await run(ann('teams', 'aad-ann', 'me dm off'));
    expect((await run(ann('teams', 'aad-ann', 'me'))).summary).toBe(
      'Direct messages: off. Quiet hours: 19:00-08:00 Europe/Berlin.',
    );
    expect((await run(ann('slack', 'U0ANN', 'me'))).summary).toBe(
      'Direct messages: off. Quiet hours: 19:00-08:00 Europe/Berlin.',
    );
  });

  it('answers the usage for a command it cannot read', async () => {
    const refused = await commands()(inGovernance('subscribe UC_X reviewz'));
    expect(refused.code).toBe('CN_CHAT_UNKNOWN_GROUP');
    expect(refused.lines[0]).toMatch(/^subscribe <use case>/);
  });
});
