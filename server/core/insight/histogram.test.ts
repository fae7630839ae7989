import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { BOUNDS_MS, BUCKETS, bucketOf, emptyHistogram, mergeInto, observe, quantile, total } from "./histogram";

describe("[HIST] latency histograms", () => {
  it("puts a duration in the first bucket whose bound holds it", () => {
    expect(bucketOf(0)).toBe(0);
    expect(bucketOf(10)).toBe(0);
    expect(bucketOf(10.1)).toBe(1);
    expect(BOUNDS_MS[bucketOf(1_000)]).toBe(1_100);
    // Each bound 20–30 % above the one before (two significant digits): a known resolution.
    for (let i = 1; i < BOUNDS_MS.length; i++) expect(BOUNDS_MS[i] / BOUNDS_MS[i - 1]).toBeGreaterThan(1.15);
    for (let i = 1; i < BOUNDS_MS.length; i++) expect(BOUNDS_MS[i] / BOUNDS_MS[i - 1]).toBeLessThan(1.35);
    expect(bucketOf(1e9)).toBe(BUCKETS - 1);
  });

  it("merging histograms equals the histogram of the merged data (property)", () => {
    const durations = fc.array(fc.double({ min: 0, max: 1e7, noNaN: true }), { maxLength: 200 });
    fc.assert(
      fc.property(durations, durations, (a, b) => {
        const ha = emptyHistogram();
        a.forEach((d) => observe(ha, d));
        const hb = emptyHistogram();
        b.forEach((d) => observe(hb, d));
        const both = emptyHistogram();
        [...a, ...b].forEach((d) => observe(both, d));
        expect(mergeInto(ha, hb)).toEqual(both);
        expect(total(both)).toBe(a.length + b.length);
      }),
    );
  });

  it("quantiles land in the bucket of the true quantile (property)", () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0, max: 4e6, noNaN: true }), { minLength: 1, maxLength: 300 }), fc.constantFrom(0.5, 0.95, 0.99), (data, q) => {
        const h = emptyHistogram();
        data.forEach((d) => observe(h, d));
        const sorted = [...data].sort((x, y) => x - y);
        const truth = sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
        const est = quantile(h, q)!;
        const b = bucketOf(truth);
        const lower = b === 0 ? 0 : BOUNDS_MS[b - 1];
        const upper = b < BOUNDS_MS.length ? BOUNDS_MS[b] : Infinity;
        expect(est).toBeGreaterThanOrEqual(lower);
        expect(est).toBeLessThanOrEqual(upper);
      }),
    );
  });

  it("answers null for nothing, and monotone quantiles", () => {
    expect(quantile(emptyHistogram(), 0.5)).toBeNull();
    const h = emptyHistogram();
    [3, 40, 40, 900, 12_000].forEach((d) => observe(h, d));
    const [p50, p95, p99] = [0.5, 0.95, 0.99].map((q) => quantile(h, q)!);
    expect(p50).toBeLessThanOrEqual(p95);
    expect(p95).toBeLessThanOrEqual(p99);
    expect(p50).toBeGreaterThan(25);
    expect(p50).toBeLessThanOrEqual(50);
  });
});
