import { readdirSync, readFileSync } from 'node:fs';

/** What /proc counts CPU time in (USER_HZ): 100 a second on Linux. */
const TICK_MS = 10;

/**
 * CPU time a process has used so far, every thread of it (the event loop, the SQLite checkpoint
 * thread, libuv's pool, V8's helpers), in ms. A live thread's time comes from
 * /proc/<pid>/task/<tid>/schedstat, whose first field is the nanoseconds it spent on a CPU: exact,
 * where /proc/<pid>/stat counts 10 ms ticks. A thread that ended (the checkpoint thread, once idle
 * for a minute) is in /proc/<pid>/stat's total only, so that total less the live threads' ticks
 * adds the ended threads' time, to a tick. Unlike wall-clock time it does not grow when other
 * processes share the cores. Linux only.
 */
export function cpuMsOf(pid: number): number {
  let liveMs = 0;
  let liveTicks = 0;
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      const ticks = ticksOf(`/proc/${pid}/task/${tid}/stat`);
      liveMs += Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ')[0]) / 1e6;
      liveTicks += ticks;
    } catch {
      // The thread ended between the listing and the reads: the process's total below has it.
    }
  }
  return liveMs + Math.max(0, ticksOf(`/proc/${pid}/stat`) - liveTicks) * TICK_MS;
}

/** utime + stime of a /proc stat file (fields 14 and 15; the name before them may hold spaces). */
function ticksOf(statPath: string): number {
  const fields = readFileSync(statPath, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return Number(fields[11]) + Number(fields[12]);
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
