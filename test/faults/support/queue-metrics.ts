import { setTimeout as sleep } from 'node:timers/promises';

/** The delivery queue as a server reports it on /metrics, where operators watch it. */
export interface QueueReading {
  pending: number;
  running: number;
  dead: number;
}

export async function readQueue(baseUrl: string): Promise<QueueReading> {
  const text = await (await fetch(`${baseUrl}/metrics`)).text();
  const value = (series: string) => {
    const line = text.split('\n').find((candidate) => candidate.startsWith(`${series} `));
    if (line === undefined) throw new Error(`no ${series} on /metrics`);
    return Number(line.slice(series.length + 1));
  };
  return {
    pending: value('credo_notify_queue_jobs{state="pending"}'),
    running: value('credo_notify_queue_jobs{state="running"}'),
    dead: value('credo_notify_dead_letters'),
  };
}

/**
 * Waits until nothing is pending or running any more: every job was sent or dead-lettered.
 * Throws with the last reading if that takes longer than `timeoutMs`.
 */
export async function waitForEmptyQueue(baseUrl: string, timeoutMs: number): Promise<QueueReading> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const reading = await readQueue(baseUrl);
    if (reading.pending === 0 && reading.running === 0) return reading;
    if (Date.now() > deadline) {
      throw new Error(`queue not empty after ${timeoutMs} ms: ${JSON.stringify(reading)}`);
    }
    await sleep(500);
  }
}
