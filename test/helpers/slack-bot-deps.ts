import { pino } from 'pino';
import { afterEach, beforeEach } from 'vitest';
import { type Clock, systemClock } from '../../src/clock.js';
import type { SlackBotDeps } from '../../src/notify/slack/slack-client.js';
import { openStore } from '../../src/store/open-store.js';
import type { Store } from '../../src/store/store.js';

export interface SlackBotWorld extends SlackBotDeps {
  store: Store;
  /** Every log line from `info` up, parsed. */
  logs: Array<Record<string, unknown>>;
}

/**
 * What a Slack notifier is built with beside its token, fresh for each test of the describe
 * block: an in-memory store, the real clock (or `clock`), and a log the test can read.
 */
export function slackBotDepsPerTest(clock: Clock = systemClock): SlackBotWorld {
  let current: SlackBotWorld | undefined;
  beforeEach(async () => {
    const store = openStore('sqlite::memory:');
    await store.migrate();
    const logs: Array<Record<string, unknown>> = [];
    const log = pino({ level: 'info' }, { write: (line: string) => void logs.push(JSON.parse(line)) });
    current = { store, clock, log, logs };
  });
  afterEach(async () => {
    await current?.store.close();
    current = undefined;
  });
  const running = () => {
    if (!current) throw new Error('the Slack bot deps exist only during a test');
    return current;
  };
  return {
    get store() {
      return running().store;
    },
    get clock() {
      return running().clock;
    },
    get log() {
      return running().log;
    },
    get logs() {
      return running().logs;
    },
  };
}
