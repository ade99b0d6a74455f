import { readdirSync, readFileSync } from 'node:fs';

/**
 * CPU time a process has used so far, every thread of it (the event loop, the SQLite checkpoint
 * thread, libuv's pool, V8's helpers), in ms. From /proc/<pid>/task/<tid>/schedstat, whose first
 * field is the nanoseconds a thread spent on a CPU: exact, where /proc/<pid>/stat counts 10 ms
 * ticks. Unlike wall-clock time it does not grow when other processes share the cores. Linux only.
 */
export function cpuMsOf(pid: number): number {
  let nanoseconds = 0;
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      nanoseconds += Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ')[0]);
    } catch {
      // The thread ended between the listing and the read: its time is gone with it.
    }
  }
  return nanoseconds / 1e6;
}

/** The 1-minute load average: how busy the shared machine was while a figure was taken. */
export function loadAverage(): number {
  return Number(readFileSync('/proc/loadavg', 'utf8').split(' ')[0]);
}

/** The middle value (the lower of the two middles for an even count); NaN for none. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)] ?? Number.NaN;
}
