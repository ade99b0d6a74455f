import { type FanoutServer, startFanoutServer } from '../test/faults/support/fanout-server.js';
import type { FakeSlackOptions } from '../test/helpers/fake-slack.js';
import type { StoreTarget } from './stores.js';

export interface ServerSettings {
  store: StoreTarget;
  channels: number;
  slack?: FakeSlackOptions;
  /** The server's LOG_LEVEL; `info`, what it runs with in production, by default. */
  logLevel: string;
  /** Where the server writes a CPU profile when it stops (node --cpu-prof), if anywhere. */
  cpuProfileDir?: string;
}

/** Figures measured on a server, and that server's peak resident memory. */
export type WithPeakRss<T> = T & { peakRssBytes: number };

/** Runs `measure` against a fresh server, on an empty store, with a fake Slack. */
export async function withServer<T>(
  settings: ServerSettings,
  measure: (server: FanoutServer) => Promise<T>,
): Promise<WithPeakRss<T>> {
  const server = await startFanoutServer({
    channels: settings.channels,
    storeUrl: settings.store.fresh,
    slack: settings.slack,
    logLevel: settings.logLevel,
    nodeFlags: settings.cpuProfileDir ? ['--cpu-prof', `--cpu-prof-dir=${settings.cpuProfileDir}`] : [],
  });
  let result: T;
  try {
    result = await measure(server);
  } catch (error) {
    await server.close();
    throw error;
  }
  return { ...result, peakRssBytes: await server.close() };
}
