import type { Clock } from '../clock.js';
import type { Config } from '../config/schema.js';
import type { CredoApiClient } from '../credo-api/client.js';
import { CredoApiError } from '../credo-api/credo-api-error.js';
import type { ErrorCode } from '../errors.js';
import type { Logger } from '../log.js';
import { kindOf } from '../notify/kinds.js';
import { routeName } from '../routing/route-event.js';
import type { ChatCommandRequest, ChatReply, RunChatCommand } from './chat-command.js';
import { describeEventTypes } from './event-groups.js';
import { ALL_USE_CASES, type ChatCommand, parseChatCommand, USAGE } from './parse-chat-command.js';
import type { PreferenceBook, Recipient } from './preferences.js';
import type { ChatSubscription, SubscriptionBook, SubscriptionKey } from './subscription-book.js';
import type { SubscriptionSnapshot } from './subscription-snapshot.js';

export interface ChatCommandDeps {
  /** The config in force (reloads included). */
  config: () => Config;
  subscriptions: SubscriptionBook;
  preferences: PreferenceBook;
  snapshot: Pick<SubscriptionSnapshot, 'changed'>;
  /** The platforms credo-notify's bots run on now: a subscription elsewhere could not be sent. */
  platforms: () => ReadonlySet<'slack' | 'teams'>;
  /** The Credo AI API when the config has one: use cases are checked and named with it. */
  credoApi: () => Pick<CredoApiClient, 'getUseCase'> | undefined;
  clock: Clock;
  log: Logger;
}

/** A refusal that ends a command: nothing was changed. */
class Refused extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly lines: string[] = [],
  ) {
    super(message);
  }
}

/**
 * The chat commands, the same on every platform: read the words, check who may do it and where,
 * change the store, and answer in a line or a few. Every refusal changes nothing and says what
 * to do instead.
 */
export function createChatCommands(deps: ChatCommandDeps): RunChatCommand {
  return async (request) => {
    const parsed = parseChatCommand(request.text);
    if (!parsed.ok) return refusal(parsed.code, parsed.message, parsed.usage);
    try {
      return await run(parsed.command, request, deps);
    } catch (error) {
      if (error instanceof Refused) return refusal(error.code, error.message, error.lines);
      if (error instanceof CredoApiError) {
        deps.log.warn({ err: error, code: error.code }, 'chat command: the Credo AI API failed');
        return refusal(
          'CN_CHAT_CREDO_API_FAILED',
          'Credo AI could not be asked about that use case: nothing changed, try again.',
        );
      }
      deps.log.error({ err: error, code: 'CN_CHAT_STORE_FAILED' }, 'chat command failed');
      return refusal('CN_CHAT_STORE_FAILED', 'Something went wrong on my side: nothing changed, try again.');
    }
  };
}

async function run(
  command: ChatCommand,
  request: ChatCommandRequest,
  deps: ChatCommandDeps,
): Promise<ChatReply> {
  switch (command.kind) {
    case 'help':
      return reply('What I take, in a channel (me: anywhere):', USAGE);
    case 'list':
    case 'status':
      inChannel(request);
      return list(request, deps);
    case 'subscribe':
      inChannel(request);
      allowed(request, deps.config());
      return subscribe(request, command.useCase, command.events, deps);
    case 'unsubscribe':
      inChannel(request);
      allowed(request, deps.config());
      return unsubscribe(request, command.useCase, command.events, deps);
    case 'me':
      return describeMe(request, deps);
    case 'dm':
    case 'quiet':
      return changeMe(request, command, deps);
  }
}

function inChannel(request: ChatCommandRequest): void {
  if (request.conversationKind === 'personal') {
    throw new Refused(
      'CN_CHAT_NOT_HERE',
      'Subscriptions belong to a channel: say this in the channel (here, `me` and `help`).',
    );
  }
}

/** `subscriptions.allow`: anyone here (`members`), or the people it lists by chat id or email. */
function allowed(request: ChatCommandRequest, config: Config): void {
  const { allow } = config.subscriptions;
  if (allow === 'members') return;
  const email = request.person.email?.toLowerCase();
  if (allow.some((who) => who === request.person.id || (email !== undefined && who.toLowerCase() === email)))
    return;
  throw new Refused(
    'CN_CHAT_NOT_ALLOWED',
    "You may not change this channel's subscriptions: ask whoever runs credo-notify to add you to subscriptions.allow.",
    ['`list`, `me` and `help` are open to you.'],
  );
}

async function subscribe(
  request: ChatCommandRequest,
  useCase: string,
  events: ChatSubscription['events'],
  deps: ChatCommandDeps,
): Promise<ChatReply> {
  const { platform } = request;
  if (!deps.platforms().has(platform)) {
    throw new Refused(
      'CN_CHAT_PLATFORM_NOT_CONFIGURED',
      `credo-notify has no ${platform === 'slack' ? 'Slack bot (slack.botToken)' : 'Teams bot'} configured, so nothing could be sent here: ask whoever runs it.`,
    );
  }
  const useCaseName = await nameOf(useCase, deps);
  const key = keyOf(request, useCase);
  const earlier = await deps.subscriptions.get(key);
  const wanted = new Set([...(earlier?.events ?? []), ...events]);
  const subscription: ChatSubscription = {
    ...key,
    ...(useCaseName !== undefined && { useCaseName }),
    events: [...wanted].sort(),
    by: request.person,
    at: deps.clock.now(),
  };
  await deps.subscriptions.put(subscription);
  deps.snapshot.changed();
  deps.log.info(
    { platform, conversation: request.conversationId, useCase, by: request.person.id },
    'chat subscription made',
  );
  return reply(
    `Subscribed ${here(request)} to ${describeEventTypes(events)} of ${useCaseLabel(useCase, useCaseName)}.`,
    earlier ? [`It now gets ${describeEventTypes(subscription.events)}.`] : [],
  );
}

async function unsubscribe(
  request: ChatCommandRequest,
  useCase: string,
  events: ChatSubscription['events'] | undefined,
  deps: ChatCommandDeps,
): Promise<ChatReply> {
  const key = keyOf(request, useCase);
  const earlier = await deps.subscriptions.get(key);
  const removed =
    earlier &&
    (events === undefined ? earlier.events : earlier.events.filter((type) => events.includes(type)));
  if (!earlier || removed?.length === 0) {
    throw new Refused(
      'CN_CHAT_NOT_SUBSCRIBED',
      `${capitalized(here(request))} gets none of that from ${useCaseLabel(useCase, earlier?.useCaseName)}.`,
      ['Say `list` to see what it gets.'],
    );
  }
  const left = earlier.events.filter((type) => !removed?.includes(type));
  const now = deps.clock.now();
  if (left.length === 0) await deps.subscriptions.remove(key, now);
  else await deps.subscriptions.put({ ...earlier, events: left, by: request.person, at: now });
  deps.snapshot.changed();
  deps.log.info(
    { platform: request.platform, conversation: request.conversationId, useCase, by: request.person.id },
    'chat subscription changed',
  );
  const label = useCaseLabel(useCase, earlier.useCaseName);
  return reply(
    left.length === 0
      ? `Unsubscribed ${here(request)} from ${label}.`
      : `Unsubscribed ${here(request)} from ${describeEventTypes(removed ?? [])} of ${label}.`,
    left.length === 0 ? [] : [`It still gets ${describeEventTypes(left)}.`],
  );
}

/** The conversation's subscriptions, then the config's routes that send here, which only the admin changes. */
async function list(request: ChatCommandRequest, deps: ChatCommandDeps): Promise<ChatReply> {
  const mine = (await deps.subscriptions.list()).filter(
    (s) => s.platform === request.platform && s.conversationId === request.conversationId,
  );
  const lines = mine.map(
    (s) =>
      `${useCaseLabel(s.useCase, s.useCaseName)}: ${describeEventTypes(s.events)} (by ${s.by.name ?? s.by.email ?? s.by.id})`,
  );
  const routes = routesHere(request, deps.config());
  lines.push(...routes.map((route) => `${route} (read-only: a route in credo-notify's config)`));
  if (lines.length === 0)
    return reply(`Nothing is sent to ${here(request)} yet.`, ['Say `subscribe <use case>` to begin.']);
  return reply(
    `Sent to ${here(request)}: ${mine.length} subscription${mine.length === 1 ? '' : 's'}, ${routes.length} route${routes.length === 1 ? '' : 's'}.`,
    lines,
  );
}

/** Routes whose destinations are this conversation, through this platform's bot. */
function routesHere(request: ChatCommandRequest, config: Config): string[] {
  const names = [request.conversationId, ...(request.conversationAliases ?? [])].map((name) =>
    name.toLowerCase(),
  );
  const here = new Set(
    Object.entries(config.destinations).flatMap(([name, destination]) => {
      const { bot, address } = kindOf(destination);
      return bot === request.platform && address !== undefined && names.includes(address.toLowerCase())
        ? [name]
        : [];
    }),
  );
  return config.routes.flatMap((route, index) =>
    route.to.some((name) => here.has(name))
      ? [
          `route "${routeName(route, index)}": ${route.match.events.join(', ')}${route.match.useCases ? ` of ${route.match.useCases.join(', ')}` : ''}`,
        ]
      : [],
  );
}

async function describeMe(request: ChatCommandRequest, deps: ChatCommandDeps): Promise<ChatReply> {
  const mine = await deps.preferences.latestOf(recipientOf(request));
  const dm = mine?.dm ?? 'on';
  const quiet = mine?.quiet ? `${mine.quiet.from}-${mine.quiet.to} ${mine.quiet.timezone}` : 'none';
  return reply(`Direct messages: ${dm}. Quiet hours: ${quiet}.`, [
    'Change them with `me dm off|on`, `me quiet 19:00-08:00 Europe/Berlin` or `me quiet off`.',
  ]);
}

async function changeMe(
  request: ChatCommandRequest,
  command: Extract<ChatCommand, { kind: 'dm' | 'quiet' }>,
  deps: ChatCommandDeps,
): Promise<ChatReply> {
  // What they said last, on either platform: `me dm on` here keeps quiet hours said there.
  const earlier = await deps.preferences.latestOf(recipientOf(request));
  const dm = command.kind === 'dm' ? command.dm : (earlier?.dm ?? 'on');
  const quiet = command.kind === 'quiet' ? command.quiet : earlier?.quiet;
  await deps.preferences.put({
    platform: request.platform,
    chatUserId: request.person.id,
    ...(request.person.email !== undefined && { email: request.person.email }),
    dm,
    ...(quiet && { quiet }),
    by: request.person,
    at: deps.clock.now(),
  });
  if (command.kind === 'dm') {
    return reply(
      dm === 'off'
        ? "Direct messages off: I won't write to you directly, on any platform."
        : 'Direct messages on: I will write to you when you are tagged or assigned (as far as the config sends them).',
      [],
    );
  }
  return reply(
    quiet ? `Quiet hours set: ${quiet.from}-${quiet.to} ${quiet.timezone}.` : 'Quiet hours off.',
    [],
  );
}

/** The person as their direct messages find them: by their chat id here, and by email. */
function recipientOf(request: ChatCommandRequest): Recipient {
  const { platform, person } = request;
  return { platform, chatUserId: person.id, ...(person.email !== undefined && { email: person.email }) };
}

/** The use case's name from the Credo AI API; a use case it does not know is refused. */
async function nameOf(useCase: string, deps: ChatCommandDeps): Promise<string | undefined> {
  const api = deps.credoApi();
  if (!api || useCase === ALL_USE_CASES) return undefined;
  const found = await api.getUseCase(useCase);
  if (!found) {
    throw new Refused(
      'CN_CHAT_UNKNOWN_USE_CASE',
      `Credo AI knows no use case ${useCase}: check the id, or paste the use case's link.`,
    );
  }
  return found.name;
}

function keyOf(request: ChatCommandRequest, useCase: string): SubscriptionKey {
  return { platform: request.platform, conversationId: request.conversationId, useCase };
}

function useCaseLabel(useCase: string, name: string | undefined): string {
  if (useCase === ALL_USE_CASES) return 'every use case';
  return name ? `${name} (${useCase})` : useCase;
}

function here(request: ChatCommandRequest): string {
  return request.platform === 'slack' ? 'this channel' : 'this conversation';
}

function capitalized(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function reply(summary: string, lines: string[]): ChatReply {
  return { ok: true, summary, lines };
}

function refusal(code: ErrorCode, summary: string, lines: string[] = []): ChatReply {
  return { ok: false, summary, lines, code };
}
