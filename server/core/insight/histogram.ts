// Latency histograms with fixed, log-spaced buckets, so histograms from different minutes,
// agents or replicas add up bucket by bucket (a rollup of rollups is the rollup of the data),
// and percentiles come from the merged counts. The bounds grow by 25 % a step (two significant
// digits) from 10 ms to 150,000 s (~42 h): a percentile read from them is within a quarter of
// the truth even when every value sits at one end of a bucket, and usually far closer. The last
// bucket is open-ended.

function bounds(): number[] {
  const out: number[] = [];
  for (let x = 10; x <= 2 * 86_400_000; x *= 1.25) {
    const p = 10 ** (Math.floor(Math.log10(x)) - 1);
    out.push(Math.round(x / p) * p);
  }
  return out;
}

/** Upper bounds (ms) of each bucket but the last, which takes everything above. */
export const BOUNDS_MS: readonly number[] = bounds();
export const BUCKETS = BOUNDS_MS.length + 1;

export type Histogram = number[];

export const emptyHistogram = (): Histogram => new Array<number>(BUCKETS).fill(0);

/** The bucket a duration falls in: the first whose upper bound is at least it. */
export function bucketOf(ms: number): number {
  let lo = 0;
  let hi = BOUNDS_MS.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (ms <= BOUNDS_MS[mid]) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

export function observe(h: Histogram, ms: number, n = 1): Histogram {
  h[bucketOf(Math.max(0, ms))] += n;
  return h;
}

export function mergeInto(into: Histogram, from: readonly number[]): Histogram {
  for (let i = 0; i < BUCKETS; i++) into[i] += from[i] ?? 0;
  return into;
}

export const total = (h: readonly number[]) => h.reduce((a, b) => a + b, 0);

/**
 * The q-quantile (0..1) of what the histogram counted, interpolated linearly inside the bucket
 * it falls in (between that bucket's bounds). Null when nothing was counted. The open last
 * bucket answers its lower bound: "at least this".
 */
export function quantile(h: readonly number[], q: number): number | null {
  const n = total(h);
  if (n === 0) return null;
  const rank = Math.min(n, Math.max(1, Math.ceil(q * n)));
  let seen = 0;
  for (let i = 0; i < BUCKETS; i++) {
    if (h[i] === 0) continue;
    if (seen + h[i] >= rank) {
      const lower = i === 0 ? 0 : BOUNDS_MS[i - 1];
      if (i === BOUNDS_MS.length) return lower;
      const upper = BOUNDS_MS[i];
      return lower + ((upper - lower) * (rank - seen)) / h[i];
    }
    seen += h[i];
  }
  return BOUNDS_MS[BOUNDS_MS.length - 1];
}
