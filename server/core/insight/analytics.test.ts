import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { coverOf, longestBusyRun, seriesOf, statOf, windowOf } from "./analytics";
import { observe } from "./histogram";
import { bucketSize, emptyCounters } from "./rollup";

const T0 = Date.UTC(2026, 10, 1);
const H = 3_600_000;

describe("[ANALYTICS] reading rollups back", () => {
  it("covers a window exactly with whole buckets, coarsest first (property)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 40 * 24 * 60 }), fc.integer({ min: 1, max: 40 * 24 * 60 }), (startMin, lenMin) => {
        const from = T0 + startMin * 60_000;
        const to = from + lenMin * 60_000;
        const spans = coverOf(from, to, 0);
        // Contiguous, no overlap, exactly [from, to).
        expect(spans[0].from).toBe(from);
        expect(spans.at(-1)!.to).toBe(to);
        for (let i = 1; i < spans.length; i++) expect(spans[i].from).toBe(spans[i - 1].to);
        for (const s of spans) {
          expect(s.from % bucketSize(s.granularity)).toBe(0);
          expect(s.to % bucketSize(s.granularity)).toBe(0);
        }
        // Never more than two edge spans per granularity level.
        expect(spans.length).toBeLessThanOrEqual(5);
      }),
    );
  });

  it("rounds edges out to whole hours where minute rows are gone", () => {
    const from = T0 + 10 * H + 17 * 60_000;
    const to = T0 + 50 * H + 5 * 60_000;
    const spans = coverOf(from, to, to - 30 * 60_000);
    expect(spans.every((s) => s.granularity !== "minute" || s.from >= to - 30 * 60_000)).toBe(true);
    expect(spans[0]).toEqual({ granularity: "hour", from: T0 + 10 * H, to: T0 + 24 * H });
    expect(spans.at(-1)!.to).toBe(to);
  });

  it("windows end at the next minute (1 h) or hour (longer) and have a previous period of the same length", () => {
    const hour = windowOf("1h", T0 + 30_500);
    expect(hour.to).toBe(T0 + 60_000);
    expect(hour.to - hour.from).toBe(H);
    const w = windowOf("24h", T0 + 30_500);
    expect(w.to).toBe(T0 + H);
    expect(w.to - w.from).toBe(24 * H);
    expect(w.elapsedMs).toBe(23 * H + 60_000);
    expect(w.from - w.previousFrom).toBe(24 * H);
    expect((w.to - w.from) / w.stepMs).toBe(96);
    // Hour-aligned: read from hour and day rows only.
    expect(coverOf(w.from, w.to, 0).every((s) => s.granularity !== "minute")).toBe(true);
  });

  it("turns counters into rates, percentiles and utilisation", () => {
    const c = emptyCounters();
    c.succeeded = 9;
    c.failed = 1;
    c.canceled = 5;
    c.started = 10;
    for (let i = 0; i < 100; i++) observe(c.queueWait, i < 95 ? 100 : 60_000);
    c.busyMs = 1.5 * H;
    c.availMs = 3 * H;
    const s = statOf(c, 2 * H);
    expect(s.successRate).toBe(0.9);
    expect(s.finished).toBe(15);
    expect(s.throughputPerHour).toBe(7.5);
    expect(s.waitP50Ms!).toBeLessThanOrEqual(120); // within its bucket (93, 120]
    expect(s.waitP99Ms!).toBeGreaterThan(50_000);
    expect(s.utilisation).toBe(0.5);
    expect(statOf(emptyCounters(), H).successRate).toBeNull();
    expect(statOf(emptyCounters(), H).utilisation).toBeNull();
  });

  it("places rows into points, and finds the longest busy stretch", () => {
    const row = (bucket: number, busy: number) => ({ bucket, dim: "all" as const, key: "*", counters: { ...emptyCounters(), busyMs: busy, availMs: 100 } });
    const pts = seriesOf([row(T0, 95), row(T0 + H, 99), row(T0 + 2 * H, 10), row(T0 + 3 * H, 100), row(T0 + 9 * H, 1)], T0, T0 + 4 * H, H);
    expect(pts.map((p) => p.busyMs)).toEqual([95, 99, 10, 100]);
    expect(longestBusyRun(pts)).toBe(2);
  });
});
