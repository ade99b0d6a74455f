import { randomUUID } from 'node:crypto';
import { signSvix } from '../../src/receiver/svix-signature.js';

/** A fixed test secret: `whsec_` + base64 of 32 bytes. */
export const TEST_SECRET = `whsec_${Buffer.alloc(32, 7).toString('base64')}`;

export interface SignedDeliveryOptions {
  secret?: string;
  id?: string;
  /** Seconds since the epoch; now by default. */
  timestamp?: number;
}

/** The headers Svix would send for this body. */
export function svixHeaders(body: string, options: SignedDeliveryOptions = {}): Record<string, string> {
  const id = options.id ?? `msg_${randomUUID().replaceAll('-', '')}`;
  const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
  return {
    'content-type': 'application/json',
    'svix-id': id,
    'svix-timestamp': String(timestamp),
    'svix-signature': signSvix({ secret: options.secret ?? TEST_SECRET, id, timestamp, body }),
  };
}

/** Posts a signed delivery as Svix would, over real HTTP. */
export async function sendSigned(
  url: string,
  body: string,
  options: SignedDeliveryOptions = {},
): Promise<Response> {
  return fetch(url, { method: 'POST', headers: svixHeaders(body, options), body });
}
