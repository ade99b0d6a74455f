import { setTimeout as sleep } from 'node:timers/promises';
import type { Delivery } from './presigned.js';

/**
 * Sends deliveries the way Svix does: each one until it is acknowledged with a 2xx, a failed
 * one again later with the same id. Remembers what was sent and what was acknowledged.
 */
export interface SvixSender {
  /** Svix id → channel of every delivery sent at least once. */
  sent: Map<string, string>;
  acknowledged: Set<string>;
  /**
   * Sends each delivery once, `perSecond` of them each second, without waiting for answers.
   * `url` is asked at each send: the server may have moved.
   */
  sendAtRate(deliveries: readonly Delivery[], perSecond: number, url: () => string): Promise<void>;
  /** Sends the unacknowledged ones again, every `pauseMs`, until all are acknowledged. */
  redeliver(url: () => string, timeoutMs: number, pauseMs?: number): Promise<void>;
}

export function createSvixSender(): SvixSender {
  const sent = new Map<string, string>();
  const acknowledged = new Set<string>();
  const all = new Map<string, Delivery>();

  const send = async (delivery: Delivery, url: string) => {
    sent.set(delivery.id, delivery.channel);
    all.set(delivery.id, delivery);
    try {
      const answer = await fetch(url, { method: 'POST', headers: delivery.headers, body: delivery.body });
      await answer.arrayBuffer();
      if (answer.ok) acknowledged.add(delivery.id);
    } catch {
      // Refused or cut off: not acknowledged, so it is sent again later.
    }
  };

  return {
    sent,
    acknowledged,
    async sendAtRate(deliveries, perSecond, url) {
      const started = Date.now();
      const inFlight: Promise<void>[] = [];
      for (const [index, delivery] of deliveries.entries()) {
        const due = started + (index * 1000) / perSecond;
        if (due > Date.now()) await sleep(due - Date.now());
        inFlight.push(send(delivery, url()));
      }
      await Promise.all(inFlight);
    },
    async redeliver(url, timeoutMs, pauseMs = 500) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const pending = [...all.values()].filter((delivery) => !acknowledged.has(delivery.id));
        if (pending.length === 0) return;
        if (Date.now() > deadline) throw new Error(`${pending.length} deliveries never acknowledged`);
        await Promise.all(pending.map((delivery) => send(delivery, url())));
        await sleep(pauseMs);
      }
    },
  };
}
