// Reading rollups back: which rows answer a time window (the coarsest that fit, finer ones at
// the edges), and what a sum of rows says — throughput, success rate, queue wait and run-time
// percentiles, utilisation. Pure; the insight service fetches the rows.
import { quantile } from "./histogram";
import { addCounters, addScalars, bucketSize, emptyCounters, finishedOf, scalarCounters, type Counters, type Dimension, type Granularity } from "./rollup";

export type Range = "1h" | "24h" | "7d" | "30d";
export const RANGES: readonly Range[] = ["1h", "24h", "7d", "30d"];
const RANGE_MS: Record<Range, number> = { "1h": 3_600_000, "24h": 86_400_000, "7d": 7 * 86_400_000, "30d": 30 * 86_400_000 };
/** Chart resolution per range: 60, 96, 168 and 180 points. */
const STEP: Record<Range, { granularity: Granularity; stepMs: number }> = {
  "1h": { granularity: "minute", stepMs: 60_000 },
  "24h": { granularity: "minute", stepMs: 15 * 60_000 },
  "7d": { granularity: "hour", stepMs: 3_600_000 },
  "30d": { granularity: "hour", stepMs: 4 * 3_600_000 },
};

/**
 * Reads that take a row per agent or capability per point, coarser than the chart for long
 * ranges so that they stay a few thousand rows: the per-agent resource heatmap, and the
 * per-capability busy runs (hour resolution is what "busy for 6 h" needs).
 */
const HEAT: Record<Range, { granularity: Granularity; stepMs: number }> = {
  "1h": { granularity: "minute", stepMs: 60_000 },
  "24h": { granularity: "hour", stepMs: 3_600_000 },
  "7d": { granularity: "hour", stepMs: 6 * 3_600_000 },
  "30d": { granularity: "day", stepMs: 86_400_000 },
};
const BUSY: Record<Range, { granularity: Granularity; stepMs: number }> = {
  "1h": { granularity: "minute", stepMs: 60_000 },
  "24h": { granularity: "hour", stepMs: 3_600_000 },
  "7d": { granularity: "hour", stepMs: 3_600_000 },
  "30d": { granularity: "hour", stepMs: 3_600_000 },
};

export const rangeMs = (r: Range) => RANGE_MS[r];

export interface Points {
  granularity: Granularity;
  /** The first point's start: the window's start rounded down to the granularity. */
  from: number;
  stepMs: number;
}

const pointsFrom = (spec: { granularity: Granularity; stepMs: number }, from: number): Points => {
  const size = bucketSize(spec.granularity);
  return { ...spec, from: Math.floor(from / size) * size };
};

export interface Window {
  range: Range;
  from: number;
  to: number;
  previousFrom: number;
  /** From `from` to the next minute: what rates over the window divide by (its last hour has not all passed). */
  elapsedMs: number;
  /** The series' points: granularity of the rows read, and the width of one point. */
  granularity: Granularity;
  stepMs: number;
  heat: Points;
  busy: Points;
}

/**
 * The last `range` up to `now`, and the period before it. The last hour ends at the next
 * minute; longer ranges end at the next whole hour (as Grafana aligns long ranges), so that
 * they are read from hour and day rows alone: the current hour's row is kept up to date with
 * its minutes, and a range's left edge then needs no minute rows either.
 */
export function windowOf(range: Range, now: number): Window {
  const align = range === "1h" ? 60_000 : 3_600_000;
  const to = Math.floor(now / align) * align + align;
  const from = to - RANGE_MS[range];
  return { range, from, to, elapsedMs: Math.min(to, Math.floor(now / 60_000) * 60_000 + 60_000) - from, previousFrom: from - RANGE_MS[range], ...STEP[range], heat: pointsFrom(HEAT[range], from), busy: pointsFrom(BUSY[range], from) };
}

/**
 * A window between two instants (a report's period), read at the resolution of the
 * nearest named range that holds it; the previous period is as long, just before it.
 */
export function windowBetween(from: number, to: number, now: number): Window {
  const f = Math.floor(from / 60_000) * 60_000;
  const t = Math.max(f + 60_000, Math.ceil(to / 60_000) * 60_000);
  const range = RANGES.find((r) => t - f <= RANGE_MS[r]) ?? "30d";
  const elapsed = Math.min(t, Math.floor(now / 60_000) * 60_000 + 60_000) - f;
  return { range, from: f, to: t, elapsedMs: Math.max(60_000, elapsed), previousFrom: f - (t - f), ...STEP[range], heat: pointsFrom(HEAT[range], f), busy: pointsFrom(BUSY[range], f) };
}

export interface Span {
  granularity: Granularity;
  from: number;
  to: number;
}

/**
 * Rows that cover [from, to) exactly, as few as possible: whole days, then whole hours at the
 * edges, then minutes — where minute rows are still kept (`minutesSince`); past that the edges
 * round out to whole hours (the window is then up to an hour wider, never narrower).
 */
export function coverOf(from: number, to: number, minutesSince: number): Span[] {
  const walk = (lo: number, hi: number, gs: readonly Granularity[]): Span[] => {
    if (lo >= hi) return [];
    const [g, ...rest] = gs;
    const size = bucketSize(g);
    const floor = (t: number) => Math.floor(t / size) * size;
    const ceil = (t: number) => Math.ceil(t / size) * size;
    if (!rest.length) return [{ granularity: g, from: floor(lo), to: ceil(hi) }];
    // Whether the finer rows an edge piece starting at `t` needs are still kept.
    const finer = (t: number) => rest[0] !== "minute" || t >= minutesSince;
    let a = ceil(lo);
    let b = floor(hi);
    if (a > b) return finer(lo) ? walk(lo, hi, rest) : [{ granularity: g, from: floor(lo), to: ceil(hi) }];
    let left: Span[] = [];
    if (lo < a) {
      if (finer(lo)) left = walk(lo, a, rest);
      else a = floor(lo);
    }
    let right: Span[] = [];
    if (b < hi) {
      if (finer(b)) right = walk(b, hi, rest);
      else b = ceil(hi);
    }
    return [...left, ...(a < b ? [{ granularity: g, from: a, to: b }] : []), ...right];
  };
  return walk(from, to, ["day", "hour", "minute"]);
}

export interface RowLike {
  bucket: number;
  dim: Dimension;
  key: string;
  counters: Counters;
}

/** Sums rows per (dimension, key). */
export function sumByKey(rows: readonly RowLike[]): Map<string, Counters> {
  const out = new Map<string, Counters>();
  for (const r of rows) {
    const k = `${r.dim}|${r.key}`;
    let c = out.get(k);
    if (!c) out.set(k, (c = emptyCounters()));
    addCounters(c, r.counters);
  }
  return out;
}

export interface Stat {
  submitted: number;
  started: number;
  finished: number;
  succeeded: number;
  failed: number;
  dead: number;
  canceled: number;
  retries: number;
  /** Succeeded of those that ended with a verdict (canceled ones are not counted). */
  successRate: number | null;
  /** Tasks finished per hour over the window. */
  throughputPerHour: number;
  waitP50Ms: number | null;
  waitP95Ms: number | null;
  waitP99Ms: number | null;
  waitMeanMs: number | null;
  runP50Ms: number | null;
  runP95Ms: number | null;
  runP99Ms: number | null;
  runMeanMs: number | null;
  busySlotHours: number;
  availableSlotHours: number;
  /** Busy slot-time over offered slot-time; null when nothing was offered. */
  utilisation: number | null;
  cpuMeanPct: number | null;
  memMeanMb: number | null;
}

export function statOf(c: Counters, windowMs: number): Stat {
  const verdicts = c.succeeded + c.failed + c.dead;
  return {
    submitted: c.submitted,
    started: c.started,
    finished: finishedOf(c),
    succeeded: c.succeeded,
    failed: c.failed,
    dead: c.dead,
    canceled: c.canceled,
    retries: c.retries,
    successRate: verdicts ? c.succeeded / verdicts : null,
    throughputPerHour: finishedOf(c) / (windowMs / 3_600_000),
    waitP50Ms: quantile(c.queueWait, 0.5),
    waitP95Ms: quantile(c.queueWait, 0.95),
    waitP99Ms: quantile(c.queueWait, 0.99),
    waitMeanMs: c.started ? c.queueWaitMs / c.started : null,
    runP50Ms: quantile(c.runTime, 0.5),
    runP95Ms: quantile(c.runTime, 0.95),
    runP99Ms: quantile(c.runTime, 0.99),
    runMeanMs: c.ran ? c.runTimeMs / c.ran : null,
    busySlotHours: c.busyMs / 3_600_000,
    availableSlotHours: c.availMs / 3_600_000,
    utilisation: c.availMs > 0 ? Math.min(1, c.busyMs / c.availMs) : null,
    cpuMeanPct: c.samples ? c.cpuSum / c.samples : null,
    memMeanMb: c.samples ? c.memSum / c.samples : null,
  };
}

/**
 * Rows of one key placed into the window's points: `points` counters, oldest first. Without
 * `histograms` the points carry the scalar fields only (for rows read without them).
 */
export function seriesOf(rows: readonly RowLike[], from: number, to: number, stepMs: number, histograms = true): Counters[] {
  const n = Math.max(1, Math.round((to - from) / stepMs));
  const out = Array.from({ length: n }, histograms ? emptyCounters : scalarCounters);
  const add = histograms ? addCounters : addScalars;
  for (const r of rows) {
    if (r.bucket < from || r.bucket >= to) continue;
    add(out[Math.min(n - 1, Math.floor((r.bucket - from) / stepMs))], r.counters);
  }
  return out;
}

/** The longest run of consecutive points whose utilisation is at least `threshold`, in points. */
export function longestBusyRun(points: readonly Counters[], threshold = 0.9): number {
  let best = 0;
  let run = 0;
  for (const p of points) {
    if (p.availMs > 0 && p.busyMs / p.availMs >= threshold) best = Math.max(best, ++run);
    else run = 0;
  }
  return best;
}

/** Relative change of `now` against `before`, or null when there is nothing to compare with. */
export function change(now: number | null, before: number | null): number | null {
  if (now == null || before == null || before === 0) return null;
  return (now - before) / Math.abs(before);
}
