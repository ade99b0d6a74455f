import { afterEach, beforeEach } from 'vitest';
import { type FakeSlack, type FakeSlackOptions, startFakeSlack } from './fake-slack.js';
import { startTestServer, type TestServer } from './test-server.js';

/** The bot token the server is given; the fake Slack accepts any. */
export const TEST_BOT_TOKEN = 'xoxb-test-token';

export interface ServerWithFakeSlack {
  /** The running test's fake Slack. */
  readonly slack: FakeSlack;
  /** The server the running test started. */
  readonly server: TestServer;
  /** Starts the whole product with its Slack Web API pointed at the fake; `config` as startTestServer takes it. */
  start(config?: Record<string, unknown>): Promise<TestServer>;
}

/**
 * For the tests of a describe block that each run the whole product against a fake Slack: the
 * fake starts before each test; after it, the server the test started closes, then the fake.
 */
export function serverWithFakeSlack(options: FakeSlackOptions = {}): ServerWithFakeSlack {
  let slack: FakeSlack | undefined;
  let server: TestServer | undefined;
  beforeEach(async () => {
    slack = await startFakeSlack(options);
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
    async start(config = {}) {
      server = await startTestServer({
        slack: { botToken: TEST_BOT_TOKEN, apiUrl: runningSlack().url },
        ...config,
      });
      return server;
    },
  };
}
