import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { emptyCounters, type Dimension } from "./rollup";
import { observe } from "./histogram";
import { mergePoints, pointsOf, type RollupRow } from "./rollup-points";

const MIN = 60_000;
const T0 = Date.UTC(2026, 10, 1);

const rowArb = fc.record({ minute: fc.integer({ min: 0, max: 59 }), dim: fc.constantFrom<Dimension>("all", "agent"), key: fc.constantFrom("a", "b"), n: fc.integer({ min: 1, max: 5 }), wait: fc.integer({ min: 1, max: 100_000 }) }).map((x): RollupRow => {
  const c = emptyCounters();
  c.submitted = x.n;
  c.busyMs = x.n * 1000;
  c.availMs = 4000;
  observe(c.queueWait, x.wait, x.n);
  return { granularity: "minute", bucket: T0 + x.minute * MIN, dim: x.dim, key: x.key, counters: c };
});

const total = (rows: RollupRow[]) => rows.reduce((n, r) => n + r.counters.submitted, 0);

describe("rollup points", () => {
  it("sums rows into points from `from`, per dimension and key, in bucket order", () => {
    fc.assert(
      fc.property(fc.array(rowArb, { maxLength: 40 }), fc.integer({ min: 1, max: 30 }), (rows, stepMin) => {
        const q = { granularity: "minute" as const, from: T0, to: T0 + 60 * MIN, dims: ["all", "agent"] as Dimension[], stepMs: stepMin * MIN };
        const points = pointsOf(rows, q);
        expect(total(points)).toBe(total(rows));
        for (const p of points) expect((p.bucket - T0) % (stepMin * MIN)).toBe(0);
        expect(points.map((p) => p.bucket)).toEqual([...points.map((p) => p.bucket)].sort((a, b) => a - b));
        expect(new Set(points.map((p) => `${p.dim}|${p.key}|${p.bucket}`)).size).toBe(points.length);
      }),
    );
  });

  it("adding the unwritten increments to the store's answer equals answering over all rows", () => {
    fc.assert(
      fc.property(fc.array(rowArb, { maxLength: 30 }), fc.array(rowArb, { maxLength: 10 }), fc.integer({ min: 1, max: 60 }), fc.boolean(), (stored, pending, stepMin, histograms) => {
        const q = { granularity: "minute" as const, from: T0, to: T0 + 60 * MIN, dims: ["all", "agent"] as Dimension[], stepMs: stepMin * MIN, histograms };
        const merged = mergePoints(pointsOf(stored, q), pointsOf(pending, q), histograms);
        const whole = pointsOf([...stored, ...pending], q);
        expect(merged).toEqual(whole);
      }),
    );
  });

  it("keeps only busy points, and the window's rows only", () => {
    const rows = [0, 1, 2].map((m) => {
      const c = emptyCounters();
      c.availMs = 1000;
      c.busyMs = m * 500;
      return { granularity: "minute" as const, bucket: T0 + m * MIN, dim: "all" as const, key: "*", counters: c };
    });
    expect(pointsOf(rows, { granularity: "minute", from: T0, to: T0 + 3 * MIN, dims: ["all"], minUtilisation: 0.5 }).map((p) => p.bucket)).toEqual([T0 + MIN, T0 + 2 * MIN]);
    expect(pointsOf(rows, { granularity: "minute", from: T0 + MIN, to: T0 + 2 * MIN, dims: ["all"] }).map((p) => p.bucket)).toEqual([T0 + MIN]);
    expect(pointsOf(rows, { granularity: "hour", from: T0, to: T0 + 3 * MIN, dims: ["all"] })).toEqual([]);
  });
});
