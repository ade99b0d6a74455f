import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { signSvix } from '../receiver/svix-signature.js';
import { loadConfigOrExit } from './load-config.js';

/**
 * `credo-notify replay <event.json>`: signs a saved payload with the configured secret, as Svix
 * would, and posts it to a running server. For people checking their setup end to end.
 */
export async function replay(
  file: string,
  options: { config?: string; url?: string; id?: string },
): Promise<void> {
  const { config } = loadConfigOrExit(options.config);
  const secret = config.credo.auth.secrets[0];
  if (!secret) {
    process.stderr.write('replay signs with credo.auth.secrets[0], and the config has no secret\n');
    process.exit(1);
  }
  const body = readFileSync(file, 'utf8');
  const url = options.url ?? `http://${config.server.host}:${config.server.port}${config.server.webhookPath}`;
  const id = options.id ?? `msg_replay_${randomUUID().replaceAll('-', '')}`;
  const timestamp = Math.floor(Date.now() / 1000);
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'svix-id': id,
      'svix-timestamp': String(timestamp),
      'svix-signature': signSvix({ secret, id, timestamp, body }),
    },
    body,
  }).catch((error: Error) => {
    process.stderr.write(
      `could not reach ${url}: ${error.cause instanceof Error ? error.cause.message : error.message}\n`,
    );
    process.exit(1);
  });
  process.stdout.write(`${response.status} ${await response.text()}\n`);
  process.exitCode = response.ok ? 0 : 1;
}
