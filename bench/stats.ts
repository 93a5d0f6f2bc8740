/** Latency statistics for the benchmark. */
export interface Stats {
  n: number;
  p50: number;
  p99: number;
  max: number;
  perSecond: number;
}

export function stats(samplesMs: number[]): Stats {
  const sorted = [...samplesMs].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  const total = sorted.reduce((s, x) => s + x, 0);
  return {
    n: sorted.length,
    p50: at(0.5),
    p99: at(0.99),
    max: sorted.at(-1) ?? 0,
    perSecond: total > 0 ? (1000 * sorted.length) / total : 0,
  };
}

export function timeEach<T>(items: T[], fn: (item: T) => unknown): number[] {
  const out: number[] = [];
  for (const item of items) {
    const t = performance.now();
    fn(item);
    out.push(performance.now() - t);
  }
  return out;
}

export const ms = (x: number) => (x < 1 ? x.toFixed(3) : x < 100 ? x.toFixed(2) : x.toFixed(0));
