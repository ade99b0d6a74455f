import { type IntervalHistogram, monitorEventLoopDelay } from 'node:perf_hooks';
import { Gauge, type Registry } from 'prom-client';

/**
 * prom-client's histogram gauges of the event-loop delay, by the statistic each reads, in
 * seconds; `delay` takes a sample's nanoseconds to the delay past its interval.
 */
const STATISTICS: Record<
  string,
  (histogram: IntervalHistogram, delay: (nanoseconds: number) => number) => number
> = {
  min: (histogram, delay) => delay(histogram.min),
  max: (histogram, delay) => delay(histogram.max),
  mean: (histogram, delay) => delay(histogram.mean),
  p50: (histogram, delay) => delay(histogram.percentile(50)),
  p90: (histogram, delay) => delay(histogram.percentile(90)),
  p99: (histogram, delay) => delay(histogram.percentile(99)),
  // The interval shifts every sample alike, and so not their spread.
  stddev: (histogram) => histogram.stddev / 1e9,
};

/**
 * `nodejs_eventloop_lag_{min,max,mean,p50,p90,p99,stddev}_seconds`, sampled every `sampleMs`, as the
 * delay past the sample's own interval. Node's histogram records the time between two samples,
 * which holds the interval itself: idle, it reads 10.1 ms at prom-client's 10 ms and 1.0 s at
 * 1 s (measured), so prom-client's gauges at 1 s would show every idle server a second behind.
 * These replace them, the stddev too: prom-client's own histogram is left unsampled
 * (metrics.ts), so that the loop wakes for one histogram, not two.
 */
export function registerEventLoopDelay(registry: Registry, prefix: string, sampleMs: number): void {
  const histogram = monitorEventLoopDelay({ resolution: sampleMs });
  histogram.enable();
  const delaySeconds = (nanoseconds: number) => Math.max(0, nanoseconds / 1e6 - sampleMs) / 1e3;
  const entries = Object.entries(STATISTICS);
  for (const [statistic, read] of entries) {
    const name = `${prefix}nodejs_eventloop_lag_${statistic}_seconds`;
    registry.removeSingleMetric(name);
    new Gauge({
      name,
      help: `The ${statistic} of the event loop's delay past its ${sampleMs} ms samples, in seconds.`,
      registers: [registry],
      collect() {
        this.set(read(histogram, delaySeconds));
        // The last gauge read starts the next period, as prom-client's own do at each scrape.
        if (statistic === entries.at(-1)?.[0]) histogram.reset();
      },
    });
  }
}
