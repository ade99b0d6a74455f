import { createLogger } from '../log.js';
import { createRuntime } from '../runtime.js';
import { loadConfigOrExit } from './load-config.js';

/** `credo-notify serve`: receive, store and deliver until SIGTERM or SIGINT. */
export async function serve(options: { config?: string }): Promise<void> {
  const log = createLogger({ level: process.env.LOG_LEVEL, pretty: process.stdout.isTTY });
  const { config, source, usesDevSecret } = loadConfigOrExit(options.config);
  log.info({ config: source }, 'config loaded');
  if (usesDevSecret) {
    log.warn(
      'CREDO_WEBHOOK_SECRET is not set: using the public development secret. Set it before exposing this server.',
    );
  }

  const runtime = await createRuntime({ config, log });
  const address = await runtime.app.listen({ host: config.server.host, port: config.server.port });
  runtime.worker.start();
  log.info({ address, webhook: `${address}${config.server.webhookPath}` }, 'credo-notify is listening');

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'stopping: finishing in-flight requests and deliveries');
    await runtime.close();
    log.info('stopped');
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}
