import { createServer } from 'node:net';
import { expect } from 'vitest';
import { DeliveryError } from '../../src/notify/notifier.js';

/** The DeliveryError a send rejected with; fails the test if it resolved or threw anything else. */
export async function failureOf(sending: Promise<unknown>): Promise<DeliveryError> {
  const outcome = await sending.then(
    (result) => ({ result }),
    (error: unknown) => ({ error }),
  );
  expect(outcome).toHaveProperty('error');
  const { error } = outcome as { error: unknown };
  expect(error).toBeInstanceOf(DeliveryError);
  return error as DeliveryError;
}

/** A loopback URL where nothing listens: connecting is refused. */
export async function refusedUrl(path: string): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return `http://127.0.0.1:${port}${path}`;
}
