import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { ErrorBody, ErrorCode } from '../errors.js';
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
  const { config, source } = loadConfigOrExit(options.config);
  const secret = config.credo.auth.secrets[0];
  if (!secret) {
    process.stderr.write('replay signs with credo.auth.secrets[0], and the config has no secret\n');
    process.exit(1);
  }
  const body = readPayload(resolve(file));
  const url = options.url ?? `http://${config.server.host}:${config.server.port}${config.server.webhookPath}`;
  const id = options.id ?? `msg_replay_${randomUUID().replaceAll('-', '')}`;
  const timestamp = Math.floor(Date.now() / 1000);
  // Which secret, never the secret: enough to compare with the server's config.
  const signedWith = `credo.auth.secrets[0] of ${source}`;
  process.stdout.write(`POST ${url}, signed with ${signedWith}\n`);
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
  const answer = await response.text();
  process.stdout.write(`${response.status} ${answer}\n`);
  if (response.status === 401 && codeIn(answer) === 'CN_SIGNATURE_INVALID') {
    process.stderr.write(
      `the server knows another secret: compare the credo.auth.secrets (or CREDO_WEBHOOK_SECRET) the running server started with and ${signedWith}\n`,
    );
  }
  process.exitCode = response.ok ? 0 : 1;
}

/** The payload to replay, or one line naming the path tried (absolute: the working directory may surprise). */
function readPayload(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    process.stderr.write(
      `replay could not read ${path} (${reason}): give the path of a saved event (JSON)\n`,
    );
    process.exit(1);
  }
}

/** The code of an error answer (`{error: {code}}`), if the body is one. */
function codeIn(answer: string): ErrorCode | undefined {
  try {
    return (JSON.parse(answer) as Partial<ErrorBody>).error?.code;
  } catch {
    return undefined;
  }
}
