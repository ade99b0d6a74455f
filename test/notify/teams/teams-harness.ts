import { pino } from 'pino';
import { systemClock } from '../../../src/clock.js';
import { type Config, configSchema } from '../../../src/config/schema.js';
import { createBotBehaviour } from '../../../src/inbound/teams/bot-behaviour.js';
import { createTeamsAiBot } from '../../../src/inbound/teams/teams-ai/teams-ai-bot.js';
import type { BotAnswer, TeamsBot } from '../../../src/inbound/teams/teams-bot.js';
import {
  type ConversationDirectory,
  createConversationDirectory,
} from '../../../src/notify/teams/conversations.js';
import { createTeamsMessenger, type TeamsMessenger } from '../../../src/notify/teams/teams-notifier.js';
import { openStore } from '../../../src/store/open-store.js';
import type { Store } from '../../../src/store/store.js';
import { chatCommandsOn } from '../../helpers/chat-commands.js';
import { type FakeBotConnector, startFakeBotConnector } from '../../helpers/fake-bot-connector.js';
import { TEST_SECRET } from '../../helpers/signed-delivery.js';

/** The Teams side of credo-notify on its own: store, bot (anonymous), messenger, fake Teams. */
export interface TeamsHarness {
  teams: FakeBotConnector;
  store: Store;
  bot: TeamsBot;
  directory: ConversationDirectory;
  messenger: TeamsMessenger;
  /** An activity reaching `POST /api/messages`, as the bot answers it. */
  receive(activity: unknown): Promise<BotAnswer>;
  close(): Promise<void>;
}

export async function startTeamsHarness(
  options: { config?: Record<string, unknown>; tenantId?: string; timeoutMs?: number } = {},
): Promise<TeamsHarness> {
  const teams = await startFakeBotConnector();
  const store = openStore('sqlite::memory:');
  await store.migrate();
  const config: Config = configSchema.parse({
    credo: { auth: { secrets: [TEST_SECRET] } },
    teams: { allowUnauthenticated: true },
    destinations: {},
    ...options.config,
  });
  const log = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });
  const directory = createConversationDirectory(store, systemClock);
  const behaviour = createBotBehaviour({
    directory,
    current: () => config,
    commands: chatCommandsOn(store, config, { clock: systemClock, log }),
    trust: {
      tenants: options.tenantId ? [options.tenantId] : [],
      serviceUrlHosts: [],
      loopbackServiceUrls: true,
    },
    log,
  });
  const bot = createTeamsAiBot({
    auth: { mode: 'anonymous' },
    behaviour,
    log,
    clock: systemClock,
    timeoutMs: options.timeoutMs,
  });
  return {
    teams,
    store,
    bot,
    directory,
    messenger: createTeamsMessenger({ bot, directory }),
    receive: (activity) => bot.handle({ headers: { authorization: 'Bearer anything' }, body: activity }),
    async close() {
      await store.close();
      await teams.close();
    },
  };
}
