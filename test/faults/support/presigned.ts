import { svixHeaders } from '../../helpers/signed-delivery.js';
import { fanoutEvent } from './fanout.js';

/** One delivery, signed ahead: the load generator only has to send it. */
export interface Delivery {
  id: string;
  headers: Record<string, string>;
  body: string;
  /** The channel its message goes to. */
  channel: string;
}

/**
 * Signs `count` fanout events over `channels` channels before the load starts, so that no
 * signing competes with the server for the cores while it is measured. Ids, and so
 * signatures, are all different.
 */
export function presign(count: number, channels: number): Delivery[] {
  return Array.from({ length: count }, (_, n) => {
    const { body, channel } = fanoutEvent(n, channels);
    const headers = svixHeaders(body);
    return { id: headers['svix-id'] as string, headers, body, channel };
  });
}
