import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Timing } from '../../../src/runtime.js';
import { type FakeSlack, type FakeSlackOptions, startFakeSlack } from '../../helpers/fake-slack.js';
import { type ServerProcess, startServerProcess, testTimingEnv } from '../../helpers/server-process.js';
import { fanoutConfig } from './fanout.js';

export interface FanoutServerOptions {
  channels: number;
  /** An empty store for the server; a SQLite file in its scratch folder when absent. */
  storeUrl?: (dir: string) => Promise<string>;
  slack?: FakeSlackOptions;
  logLevel?: string;
  /** Flags for node itself, such as --cpu-prof. */
  nodeFlags?: string[];
  /** Shorter waits than a config allows (see testTimingEnv); a user's when absent. */
  timing?: Timing;
}

/**
 * `credo-notify serve` as users run it (dist/cli.js, a config file, its own store) over a fanout
 * config, with a fake Slack. The process can be killed and started again on the same store.
 */
export interface FanoutServer {
  slack: FakeSlack;
  /** The process running now. */
  readonly process: ServerProcess;
  readonly baseUrl: string;
  readonly webhookUrl: string;
  /** kill -9, as in a crash: nothing is cleaned up. */
  kill(): Promise<void>;
  /** Starts a new process on the same config and store (on a new port). */
  restart(): Promise<void>;
  /** Stops the process and the fake Slack, removes the scratch folder; resolves with the peak RSS. */
  close(): Promise<number>;
}

export async function startFanoutServer(options: FanoutServerOptions): Promise<FanoutServer> {
  const dir = mkdtempSync(join(tmpdir(), 'credo-notify-fanout-'));
  const slack = await startFakeSlack(options.slack);
  const configPath = join(dir, 'credo-notify.yaml');
  const storeUrl = options.storeUrl ? await options.storeUrl(dir) : `sqlite:${join(dir, 'events.db')}`;
  writeFileSync(configPath, fanoutConfig({ channels: options.channels, storeUrl, slackApiUrl: slack.url }));
  const start = () =>
    startServerProcess({
      configPath,
      env: { LOG_LEVEL: options.logLevel ?? 'info', ...(options.timing && testTimingEnv(options.timing)) },
      nodeFlags: options.nodeFlags,
    });
  let current = await start();
  return {
    slack,
    get process() {
      return current;
    },
    get baseUrl() {
      return current.url;
    },
    get webhookUrl() {
      return `${current.url}/webhooks/credo`;
    },
    kill: () => current.kill(),
    async restart() {
      current = await start();
    },
    async close() {
      const running = current.child.exitCode === null && current.child.signalCode === null;
      const { peakRssBytes } = running ? current.memory() : { peakRssBytes: 0 };
      if (running) await current.stop();
      await slack.close();
      rmSync(dir, { recursive: true, force: true });
      return peakRssBytes;
    },
  };
}
