import type { Clock } from '../../clock.js';
import { NoRoomYetError } from '../../notify/no-room-yet.js';
import type { RateWindow } from '../../notify/pacing.js';
import { baseConversationId } from '../../notify/teams/conversations.js';
import { Pacer } from '../../worker/pacer.js';

/**
 * Every call the bot makes into one conversation, counted in the same windows: a worker's post
 * or update, a reply to a command, a welcome card, the team and roster reads at install. Teams
 * counts them all against the bot in that conversation (msteams-docs `bots/how-to/rate-limit.md`),
 * while the worker's pacer sees only the jobs it runs. Calls to one conversation go one at a
 * time, each counted when its answer came (as the worker counts), so none can overtake another
 * into a full window.
 */
export interface ConversationPace {
  /**
   * Runs `call` once the conversation has room. A wait longer than `maxWaitMs` is not waited:
   * a NoRoomYetError (CN_TEAMS_PACED) says when there is room, for the worker to come back then.
   */
  call<T>(conversationId: string, call: () => Promise<T>, maxWaitMs?: number): Promise<T>;
}

export function createConversationPace(windows: readonly RateWindow[], clock: Clock): ConversationPace {
  const pacer = new Pacer();
  /** The last call queued per conversation: the next one starts after it settles. */
  const queues = new Map<string, Promise<unknown>>();

  return {
    call(conversationId, call, maxWaitMs = Number.POSITIVE_INFINITY) {
      const key = baseConversationId(conversationId);
      const turn = async () => {
        const wait = pacer.delay(key, windows, clock.now());
        if (wait > maxWaitMs) {
          throw new NoRoomYetError(
            `the bot's calls to this Teams conversation fill a rate window for ${Math.ceil(wait / 1000)} s more`,
            wait,
          );
        }
        await pacer.untilFree(key, windows, clock);
        try {
          return await call();
        } finally {
          pacer.book(key, windows, clock.now());
          pacer.sweep(clock.now());
        }
      };
      const result = (queues.get(key) ?? Promise.resolve()).then(turn, turn);
      const settled = result.catch(() => undefined);
      queues.set(key, settled);
      void settled.then(() => {
        if (queues.get(key) === settled) queues.delete(key);
      });
      return result;
    },
  };
}
