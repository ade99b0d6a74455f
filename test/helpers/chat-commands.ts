import type { Logger } from 'pino';
import type { Clock } from '../../src/clock.js';
import type { Config } from '../../src/config/schema.js';
import type { KeyValueState } from '../../src/store/store.js';
import type { RunChatCommand } from '../../src/subscriptions/chat-command.js';
import { createChatMemory } from '../../src/subscriptions/chat-memory.js';
import { createChatCommands } from '../../src/subscriptions/run-chat-command.js';

/** The chat commands as the runtime builds them, on `store`, for tests of one inbound side alone. */
export function chatCommandsOn(
  store: KeyValueState,
  config: Config,
  deps: { clock: Clock; log: Logger; platforms?: Array<'slack' | 'teams'> },
): RunChatCommand {
  const { clock, log } = deps;
  return createChatCommands({
    ...createChatMemory({ store, clock, log }),
    config: () => config,
    platforms: () => new Set(deps.platforms ?? ['teams']),
    credoApi: () => undefined,
    clock,
    log,
  });
}
