/** The percentiles the bench reports, in ms. */
export interface LatencySummary {
  p50: number;
  p99: number;
}

/** Nearest-rank percentiles; NaN for no values, which no target passes. */
export function summarize(valuesMs: readonly number[]): LatencySummary {
  const sorted = [...valuesMs].sort((a, b) => a - b);
  const at = (share: number) => sorted[Math.max(0, Math.ceil(share * sorted.length) - 1)] ?? Number.NaN;
  return { p50: at(0.5), p99: at(0.99) };
}
