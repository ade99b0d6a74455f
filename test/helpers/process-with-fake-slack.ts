import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach } from 'vitest';
import { type FakeSlack, startFakeSlack } from './fake-slack.js';
import { type ServerProcess, startServerProcess } from './server-process.js';
import { TEST_SECRET } from './signed-delivery.js';

/**
 * The top of a server process's config, as a user writes it: the port, the store (`DB_PATH`
 * unless `store` says otherwise) and the Slack API URL come from the environment; deliveries
 * are signed with TEST_SECRET and typed `CredoAI.<type>`, then `.<eventTypeSuffix>` if given.
 */
export function processConfigHead(options: { store?: string; eventTypeSuffix?: string } = {}): string {
  const { store = `sqlite:\${DB_PATH}`, eventTypeSuffix } = options;
  return `
server: { host: 127.0.0.1, port: "\${PORT}" }
store: { url: "${store}" }
credo:
  auth: { method: svix, secrets: ["${TEST_SECRET}"] }
  eventTypePrefix: CredoAI
${eventTypeSuffix ? `  eventTypeSuffix: ${eventTypeSuffix}\n` : ''}slack: { botToken: xoxb-test-token, apiUrl: "\${SLACK_API_URL}" }
`;
}

export interface ProcessWithFakeSlack {
  /** The running test's own folder: config, store, templates. */
  readonly dir: string;
  /** `credo-notify.yaml` in `dir`; the test writes it. */
  readonly configPath: string;
  readonly slack: FakeSlack;
  /**
   * What the operator's shell gives the server and the CLI: any free `PORT`, `DB_PATH` in `dir`,
   * `SLACK_API_URL` of the fake.
   */
  readonly env: NodeJS.ProcessEnv;
  /** Runs `credo-notify serve` on configPath with `env`, and `extraEnv` on top. */
  start(extraEnv?: NodeJS.ProcessEnv): Promise<ServerProcess>;
}

/**
 * For the tests of a describe block that each run the real server process against a fake
 * Slack: a fresh folder and fake before each test; after it, every server the test started
 * that still runs is killed, the fake closed and the folder removed.
 */
export function processWithFakeSlack(): ProcessWithFakeSlack {
  let dir: string | undefined;
  let slack: FakeSlack | undefined;
  let started: ServerProcess[] = [];
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'credo-notify-process-'));
    slack = await startFakeSlack();
  });
  afterEach(async () => {
    await Promise.all(
      started.filter((server) => server.child.exitCode === null).map((server) => server.kill()),
    );
    started = [];
    await slack?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });
  const during = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('only during a test');
    return value;
  };
  const world: ProcessWithFakeSlack = {
    get dir() {
      return during(dir);
    },
    get configPath() {
      return join(during(dir), 'credo-notify.yaml');
    },
    get slack() {
      return during(slack);
    },
    get env() {
      return { PORT: '0', DB_PATH: join(during(dir), 'store.db'), SLACK_API_URL: during(slack).url };
    },
    async start(extraEnv = {}) {
      const server = await startServerProcess({
        configPath: world.configPath,
        env: { ...world.env, ...extraEnv },
      });
      started.push(server);
      return server;
    },
  };
  return world;
}
