// A rollup read, as every store answers it: rows of one granularity in [from, to), for some
// dimensions (and keys), summed per (dimension, key) into points `stepMs` wide counted from
// `from` — the in-memory store computes it here, the SQL stores in the engine, and the
// analytics queries here too for the increments the coordinator has not written yet. Pure.
import { COUNTER_FIELDS, addCounters, emptyCounters, type Counters, type Dimension, type Granularity } from "./rollup";

export interface RollupQuery {
  granularity: Granularity;
  from: number;
  to: number;
  dims: readonly Dimension[];
  keys?: readonly string[];
  /** A whole number of minutes; without it, rows as stored. */
  stepMs?: number;
  /** Default true; false leaves the histograms empty (reads that need only counts, slot time and resources). */
  histograms?: boolean;
  /** Only points whose busy slot-time is at least this share of the offered (finding busy runs without reading idle hours). */
  minUtilisation?: number;
}

export interface RollupRow {
  granularity: Granularity;
  /** Bucket start (or point start), epoch ms. */
  bucket: number;
  dim: Dimension;
  key: string;
  counters: Counters;
}

const MIN = 60_000;

const order = (a: RollupRow, b: RollupRow) => a.bucket - b.bucket || (a.dim < b.dim ? -1 : a.dim > b.dim ? 1 : a.key < b.key ? -1 : a.key > b.key ? 1 : 0);

/** `rows` (as stored: bucket starts to the minute) answered as `q` asks. */
export function pointsOf(rows: Iterable<RollupRow>, q: RollupQuery): RollupRow[] {
  const dims = new Set(q.dims);
  const keys = q.keys?.length ? new Set(q.keys) : null;
  // In minutes, as the SQL engines compute it.
  const from = Math.floor(q.from / MIN);
  const to = Math.floor(q.to / MIN);
  const step = q.stepMs == null ? null : q.stepMs / MIN;
  const points = new Map<string, RollupRow>();
  for (const r of rows) {
    const m = Math.floor(r.bucket / MIN);
    if (r.granularity !== q.granularity || !dims.has(r.dim) || (keys && !keys.has(r.key)) || m < from || m >= to) continue;
    const bucket = (step == null ? m : from + Math.floor((m - from) / step) * step) * MIN;
    const k = `${r.dim}|${r.key}|${bucket}`;
    let p = points.get(k);
    if (!p) points.set(k, (p = { granularity: r.granularity, bucket, dim: r.dim, key: r.key, counters: emptyCounters() }));
    if (q.histograms === false) for (const f of COUNTER_FIELDS) p.counters[f] += r.counters[f];
    else addCounters(p.counters, r.counters);
  }
  return [...points.values()].filter((p) => busyEnough(p.counters, q.minUtilisation)).sort(order);
}

const busyEnough = (c: Counters, min: number | undefined) => min == null || (c.availMs > 0 && c.busyMs >= min * c.availMs);

/**
 * Two answers to the same query added together (the store's and the not-yet-written
 * increments). Takes ownership: rows of `a` are added into, rows of `b` taken as they are.
 */
export function mergePoints(a: RollupRow[], b: RollupRow[], histograms = true): RollupRow[] {
  if (b.length === 0) return a;
  const out = new Map<string, RollupRow>();
  for (const r of a) out.set(`${r.dim}|${r.key}|${r.bucket}`, r);
  for (const r of b) {
    const k = `${r.dim}|${r.key}|${r.bucket}`;
    const had = out.get(k);
    if (!had) out.set(k, r);
    else if (histograms) addCounters(had.counters, r.counters);
    else for (const f of COUNTER_FIELDS) had.counters[f] += r.counters[f];
  }
  return [...out.values()].sort(order);
}
