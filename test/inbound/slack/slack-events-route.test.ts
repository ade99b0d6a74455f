import Fastify, { type FastifyInstance } from 'fastify';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Config, configSchema } from '../../../src/config/schema.js';
import { createFailedAuthLimit } from '../../../src/http/failed-auth-limit.js';
import { startSlackCommands } from '../../../src/inbound/slack/start-slack-commands.js';
import type {
  ChatCommandRequest,
  ChatReply,
  RunChatCommand,
} from '../../../src/subscriptions/chat-command.js';
import { eventually } from '../../helpers/eventually.js';
import { type FakeSlack, startFakeSlack } from '../../helpers/fake-slack.js';
import { TEST_BOT_TOKEN } from '../../helpers/server-with-fake-slack.js';
import { TEST_SECRET } from '../../helpers/signed-delivery.js';
import {
  type SlashCommand,
  sendSlashCommand,
  slackHeaders,
  slashCommandBody,
  TEST_SIGNING_SECRET,
} from '../../helpers/signed-slack-request.js';
import { createTestClock, type TestClock } from '../../helpers/test-clock.js';

/**
 * The Slack side of the chat commands (issue 17) over real HTTP: a server with the
 * `/slack/events` route, a fake Slack for response_url and conversations.info, and a
 * RunChatCommand of the test's own in place of the engine (our seam, not an SDK's).
 */
let clock: TestClock;
let slack: FakeSlack;
let app: FastifyInstance;
let url: string;
let asked: ChatCommandRequest[];
/** The server's log lines, parsed. */
let logged: Array<Record<string, unknown>>;
let engine: RunChatCommand;
let config: Config;

const OK: ChatReply = { ok: true, summary: 'Subscribed #governance to reviews of UC_X.', lines: [] };

beforeEach(async () => {
  clock = createTestClock();
  slack = await startFakeSlack({ clock });
  // The bot was invited where the commands are typed, unless a test says otherwise.
  for (const id of ['C0GOV', 'C0GOVERNANCE'])
    slack.channels.set(id, { name: id.toLowerCase(), isMember: true });
  asked = [];
  logged = [];
  engine = async () => OK;
  config = configSchema.parse({
    credo: { auth: { secrets: [TEST_SECRET] } },
    slack: { botToken: TEST_BOT_TOKEN, apiUrl: slack.url, signingSecret: TEST_SIGNING_SECRET },
    destinations: { out: { console: {} } },
    routes: [{ to: ['out'] }],
  });
  const route = await startSlackCommands({
    config,
    run: (request) => {
      asked.push(request);
      return engine(request);
    },
    current: () => config,
    clock,
    log: pino({ level: 'info' }, { write: (line: string) => logged.push(JSON.parse(line)) }),
    failedAuth: createFailedAuthLimit({ clock }),
  });
  if (!route) throw new Error('a signing secret turns the route on');
  app = Fastify();
  await app.register(route);
  url = `${await app.listen({ host: '127.0.0.1', port: 0 })}/slack/events`;
});
afterEach(async () => {
  await app.close();
  await slack.close();
});

const command = (text: string, fields: Partial<SlashCommand> = {}): SlashCommand => ({
  text,
  responseUrl: slack.responseUrl(),
  ...fields,
});
const nowSeconds = () => Math.floor(clock.now() / 1000);
const send = (text: string, fields: Partial<SlashCommand> = {}) =>
  sendSlashCommand(url, command(text, fields), { timestamp: nowSeconds() });

describe('POST /slack/events: slash commands', () => {
  it('answers a signed /credo command in the HTTP answer, ephemeral, from the engine', async () => {
    const answer = await send('subscribe UC_X reviews', { channelId: 'C0GOV', userId: 'U0ALICE' });

    expect(answer.status).toBe(200);
    expect(await answer.json()).toEqual({
      response_type: 'ephemeral',
      text: 'Subscribed #governance to reviews of UC_X.',
      blocks: [
        { type: 'section', text: { type: 'mrkdwn', text: 'Subscribed #governance to reviews of UC_X.' } },
      ],
    });
    expect(asked).toEqual([
      {
        platform: 'slack',
        conversationId: 'C0GOV',
        conversationKind: 'channel',
        person: { id: 'U0ALICE', name: 'alice' },
        text: 'subscribe UC_X reviews',
      },
    ]);
    expect(slack.responses).toEqual([]);
  });

  it("hands the engine the text as typed: Slack's entities decoded", async () => {
    await send('subscribe https://app.credo.ai/acme/use-cases/UC_X?tab=risk&amp;view=1 &lt;tasks&gt;');

    expect(asked[0]?.text).toBe('subscribe https://app.credo.ai/acme/use-cases/UC_X?tab=risk&view=1 <tasks>');
  });

  it("adds the person's email from users.info for `me dm|quiet`, and for subscribe when allow names emails", async () => {
    slack.users.set('alice@acme.com', 'U0ALICE');
    const emailsFor = async (...texts: string[]) => {
      asked = [];
      for (const text of texts) await send(text, { userId: 'U0ALICE' });
      return asked.map((request) => request.person.email);
    };

    expect(await emailsFor('subscribe UC_X', 'list', 'me', 'me dm off', 'me quiet off')).toEqual([
      undefined,
      undefined,
      undefined,
      'alice@acme.com',
      'alice@acme.com',
    ]);
    config = { ...config, subscriptions: { ...config.subscriptions, allow: ['U0ADMIN', 'alice@acme.com'] } };
    expect(await emailsFor('subscribe UC_X', 'unsubscribe UC_X', 'list')).toEqual([
      'alice@acme.com',
      'alice@acme.com',
      undefined,
    ]);
    await send('me dm off', { userId: 'U0NOBODY' });
    expect(asked.at(-1)?.person).toEqual({ id: 'U0NOBODY', name: 'alice' });
    expect(slack.callsTo('users.info')).toHaveLength(5);
  });

  it('takes a direct message with the app (a D… channel) as personal', async () => {
    await send('me dm off', { channelId: 'D0ALICE' });

    expect(asked[0]?.conversationKind).toBe('personal');
  });

  it('escapes every line: no @channel, @here, forged link or mention reaches Slack from untrusted text', async () => {
    engine = async () => ({
      ok: false,
      summary: 'No use case <!channel> @here',
      lines: ['<https://evil.example|Click to approve> & <@U0BOSS>', 'Try `/credo help`.'],
    });

    const body = JSON.stringify(await (await send('subscribe <!channel>')).json());

    expect(body).not.toMatch(/<!channel>|<https:|<@U0BOSS>|(?<!\u200d)@here/);
    expect(body).toContain('&lt;https://evil.example|Click to approve&gt; &amp; &lt;@U0BOSS&gt;');
    expect(body).toContain('Try `/credo help`.');
  });

  it('says what to do when the bot is not in the channel, and does not run the command', async () => {
    slack.channels.set('C0PRIVATE', { name: 'private', isMember: false });

    const answer = (await (await send('subscribe UC_X', { channelId: 'C0PRIVATE' })).json()) as {
      blocks: Array<{ text: { text: string } }>;
    };

    expect(asked).toEqual([]);
    expect(answer.blocks.map((block) => block.text.text).join('\n')).toContain(
      'Invite me with `/invite @credo-notify`',
    );
  });

  it('runs subscribe where the bot is a member, and other commands without asking Slack', async () => {
    await send('subscribe UC_X', { channelId: 'C0GOV' });
    await send('list', { channelId: 'C0ELSEWHERE' });

    expect(asked.map((request) => request.text)).toEqual(['subscribe UC_X', 'list']);
    expect(slack.callsTo('conversations.info').map((call) => call.body.channel)).toEqual(['C0GOV']);
  });

  it('acknowledges at once when the engine is slow, then posts the reply to the response_url', async () => {
    let finish: (reply: ChatReply) => void = () => {};
    engine = () => new Promise((resolve) => (finish = resolve));

    const pending = send('list');
    await eventually(() => expect(asked).toHaveLength(1));
    await clock.advance(2_499);
    const early = await Promise.race([pending.then(() => 'answered'), clock.sleep(0).then(() => 'waiting')]);
    await clock.advance(1);
    const ack = await pending;

    expect(early).toBe('waiting');
    expect(ack.status).toBe(200);
    expect(await ack.text()).toBe('');
    expect(slack.responses).toEqual([]);

    finish({
      ok: true,
      summary: 'This channel gets reviews of UC_X.',
      lines: ['From the config: all events.'],
    });
    const [posted] = await eventually(() => {
      expect(slack.responses).toHaveLength(1);
      return slack.responses;
    });
    expect(posted).toMatchObject({
      status: 200,
      body: {
        response_type: 'ephemeral',
        text: 'This channel gets reviews of UC_X.',
        blocks: [
          { type: 'section', text: { type: 'mrkdwn', text: 'This channel gets reviews of UC_X.' } },
          { type: 'section', text: { type: 'mrkdwn', text: 'From the config: all events.' } },
        ],
      },
    });
  });

  it('logs a late reply its response_url refused, by code and status, never the URL', async () => {
    let finish: (reply: ChatReply) => void = () => {};
    engine = () => new Promise((resolve) => (finish = resolve));
    const typed = command('list');

    const pending = sendSlashCommand(url, typed, { timestamp: nowSeconds() });
    await eventually(() => expect(asked).toHaveLength(1));
    await clock.advance(2_500);
    expect((await pending).status).toBe(200);
    // Slack keeps a response_url for 30 minutes.
    await clock.advance(30 * 60_000 + 1_000);
    finish(OK);

    const [refused] = await eventually(() => {
      const lines = logged.filter((line) => line.code === 'CN_SLACK_RESPONSE_URL_FAILED');
      expect(lines).toHaveLength(1);
      return lines;
    });
    expect(refused).toMatchObject({ status: 404, said: 'expired_url' });
    expect(JSON.stringify(logged)).not.toContain(new URL(typed.responseUrl).pathname);
  });

  it('tells the person something went wrong when the engine fails', async () => {
    engine = async () => {
      throw new Error('database on fire');
    };

    const answer = JSON.stringify(await (await send('list')).json());

    expect(answer).toContain('Something went wrong, and nothing was changed.');
    expect(answer).not.toContain('database on fire');
  });
});

describe('POST /slack/events: requests Slack did not sign', () => {
  const refusedWith = async (answer: Response) => {
    expect(answer.status).toBe(401);
    expect(asked).toEqual([]);
    return ((await answer.json()) as { error: { code: string } }).error.code;
  };

  it('refuses a wrong signature (401), and runs nothing', async () => {
    const body = slashCommandBody(command('subscribe UC_X'));
    const headers = slackHeaders(body, { secret: 'not-the-signing-secret', timestamp: nowSeconds() });

    expect(await refusedWith(await fetch(url, { method: 'POST', headers, body }))).toBe(
      'CN_SLACK_SIGNATURE_INVALID',
    );
    expect(logged).toContainEqual(expect.objectContaining({ code: 'CN_SLACK_SIGNATURE_INVALID', level: 40 }));
    expect(JSON.stringify(logged)).not.toContain(TEST_SIGNING_SECRET);
  });

  it('refuses a body changed after signing', async () => {
    const headers = slackHeaders(slashCommandBody(command('list')), { timestamp: nowSeconds() });
    const body = slashCommandBody(command('unsubscribe all'));

    expect(await refusedWith(await fetch(url, { method: 'POST', headers, body }))).toBe(
      'CN_SLACK_SIGNATURE_INVALID',
    );
  });

  it('refuses a timestamp more than 5 minutes old, or ahead, on the clock', async () => {
    const body = slashCommandBody(command('subscribe UC_X'));
    const headers = slackHeaders(body, { timestamp: nowSeconds() });
    await clock.advance(5 * 60_000 + 1_000);

    expect(await refusedWith(await fetch(url, { method: 'POST', headers, body }))).toBe(
      'CN_SLACK_SIGNATURE_STALE',
    );
    const ahead = slackHeaders(body, { timestamp: nowSeconds() + 5 * 60 + 1 });
    expect(await refusedWith(await fetch(url, { method: 'POST', headers: ahead, body }))).toBe(
      'CN_SLACK_SIGNATURE_STALE',
    );
  });

  it('takes a timestamp 5 minutes old', async () => {
    const body = slashCommandBody(command('list'));
    const headers = slackHeaders(body, { timestamp: nowSeconds() });
    await clock.advance(5 * 60_000 - 1_000);

    expect((await fetch(url, { method: 'POST', headers, body })).status).toBe(200);
  });

  it('refuses a request without the signature headers', async () => {
    const body = slashCommandBody(command('list'));
    const { 'x-slack-signature': _signature, ...noSignature } = slackHeaders(body);
    const { 'x-slack-request-timestamp': _timestamp, ...noTimestamp } = slackHeaders(body);

    for (const headers of [
      noSignature,
      noTimestamp,
      { 'content-type': 'application/x-www-form-urlencoded' },
    ]) {
      expect(await refusedWith(await fetch(url, { method: 'POST', headers, body }))).toBe(
        'CN_SLACK_SIGNATURE_MISSING',
      );
    }
  });

  it('counts refusals in the failed-auth limit: past 20 a minute, 429 with Retry-After', async () => {
    const body = slashCommandBody(command('list'));
    const headers = slackHeaders(body, { secret: 'guess', timestamp: nowSeconds() });
    for (let i = 0; i < 20; i += 1) await fetch(url, { method: 'POST', headers, body });

    const limited = await send('list');

    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('60');
    expect(asked).toEqual([]);
  });
});

describe('POST /slack/events: other signed requests', () => {
  const post = (body: string, contentType?: string) => {
    const headers = slackHeaders(body, { timestamp: nowSeconds() });
    return fetch(url, {
      method: 'POST',
      headers: contentType ? { ...headers, 'content-type': contentType } : headers,
      body,
    });
  };

  it("answers Slack's unsigned ssl_check with a 200, running nothing and counting no failure", async () => {
    const sslCheck = () =>
      fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: `ssl_check=1&token=x&${slashCommandBody(command('unsubscribe all'))}`,
      });
    for (let i = 0; i < 25; i += 1) expect((await sslCheck()).status).toBe(200);

    expect(asked).toEqual([]);
    expect((await send('list')).status).toBe(200);
  });

  it('acknowledges an interactivity payload with a 200 and does nothing else', async () => {
    const payload = JSON.stringify({ type: 'block_actions', actions: [{ action_id: 'unknown' }] });

    const answer = await post(new URLSearchParams({ payload }).toString());

    expect(answer.status).toBe(200);
    expect(asked).toEqual([]);
  });

  it('refuses a signed form that is neither a command nor a payload (400), and a body not a form (415)', async () => {
    const notCommand = await post('hello=world');
    const json = await post('{"type":"url_verification"}', 'application/json');

    expect(notCommand.status).toBe(400);
    expect(await notCommand.json()).toMatchObject({ error: { code: 'CN_SLACK_COMMAND_INVALID' } });
    expect(json.status).toBe(415);
    expect(await json.json()).toMatchObject({ error: { code: 'CN_SLACK_BODY_NOT_FORM' } });
    expect(asked).toEqual([]);
  });
});
