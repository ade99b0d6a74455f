import { afterEach, beforeEach } from 'vitest';
import type { Timing } from '../../src/runtime.js';
import { type FakeSlack, type FakeSlackOptions, startFakeSlack } from './fake-slack.js';
import { createTestClock, type TestClock } from './test-clock.js';
import { startTestServer, type TestServer, type TestServerOptions } from './test-server.js';

/** The bot token the server is given; the fake Slack accepts any. */
export const TEST_BOT_TOKEN = 'xoxb-test-token';

export interface ServerWithFakeSlack {
  /** The running test's fake Slack. */
  readonly slack: FakeSlack;
  /** The server the running test started. */
  readonly server: TestServer;
  /** The running test's clock, which the server and the fake Slack share (with `testClock`). */
  readonly clock: TestClock;
  /**
   * Starts the whole product with its Slack Web API pointed at the fake; `config` as
   * startTestServer takes it, and its log lines to `onLog` when given.
   */
  start(config?: Record<string, unknown>, options?: Pick<TestServerOptions, 'onLog'>): Promise<TestServer>;
}

/**
 * On real time, one post per 20 ms per channel instead of Slack's one a second: these tests check
 * what is posted, not the pace (the tests of pace move a test clock), and a second a post was
 * most of their time.
 */
export const QUICK_PACE: Timing = { pacing: [{ limit: 1, perMs: 20 }] };

/**
 * For the tests of a describe block that each run the whole product against a fake Slack: the
 * fake starts before each test; after it, the server the test started closes, then the fake.
 */
export function serverWithFakeSlack(
  options: FakeSlackOptions & {
    /** Run the server and the fake on a clock that moves only when the test moves it. */
    testClock?: boolean;
  } = {},
): ServerWithFakeSlack {
  const { testClock, ...slackOptions } = options;
  let slack: FakeSlack | undefined;
  let server: TestServer | undefined;
  let clock: TestClock | undefined;
  beforeEach(async () => {
    clock = testClock ? createTestClock() : undefined;
    slack = await startFakeSlack({ ...slackOptions, clock });
  });
  afterEach(async () => {
    await server?.close();
    server = undefined;
    await slack?.close();
  });
  const runningSlack = () => {
    if (!slack) throw new Error('the fake Slack runs only during a test');
    return slack;
  };
  return {
    get slack() {
      return runningSlack();
    },
    get server() {
      if (!server) throw new Error('this test has started no server');
      return server;
    },
    get clock() {
      if (!clock) throw new Error('serverWithFakeSlack({ testClock: true }) has a test clock');
      return clock;
    },
    async start(config = {}, options = {}) {
      server = await startTestServer(
        { slack: { botToken: TEST_BOT_TOKEN, apiUrl: runningSlack().url }, ...config },
        { ...options, clock, timing: clock ? undefined : QUICK_PACE },
      );
      return server;
    },
  };
}
