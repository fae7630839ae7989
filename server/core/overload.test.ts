// [OVERLOAD] The load-shedding governor: unlimited while the loop keeps up; limited (AIMD) once
// its delay has stayed over target for an interval; refusals say when to come back; the limit
// lifts after a calm spell; a full queue refuses whatever the loop says.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DEFAULT_OVERLOAD_POLICY, OverloadGovernor, type OverloadPolicy } from "./overload";

const POLICY: OverloadPolicy = { ...DEFAULT_OVERLOAD_POLICY, targetLagMs: 50, intervalMs: 300, floorPerSecond: 50, liftAfterMs: 5_000, maxUnfinished: 1_000 };
const T0 = 1_700_000_000_000;

/** Admits one task every `everyMs` from `from` to `to`; counts what got in. */
function offer(g: OverloadGovernor, from: number, to: number, everyMs: number, onWindow?: (t: number) => void) {
  let ok = 0;
  let refused = 0;
  for (let t = from; t < to; t += everyMs) {
    if ((t - from) % 100 === 0) onWindow?.(t);
    if (g.admit(t, 1, 0).ok) ok++;
    else refused++;
  }
  return { ok, refused };
}

describe("[OVERLOAD] governor", () => {
  it("admits everything while the loop keeps up", () => {
    const g = new OverloadGovernor(POLICY, T0);
    const r = offer(g, T0, T0 + 2_000, 1, (t) => g.observe(t, 10));
    expect(r).toEqual({ ok: 2_000, refused: 0 });
    expect(g.state().limitPerSecond).toBeNull();
  });

  it("a delay over target for less than the interval (a GC pause) limits nothing", () => {
    const g = new OverloadGovernor(POLICY, T0);
    g.observe(T0 + 100, 400);
    g.observe(T0 + 200, 400);
    g.observe(T0 + 300, 5);
    expect(g.state().limitPerSecond).toBeNull();
    expect(g.admit(T0 + 301, 1, 0).ok).toBe(true);
  });

  it("a sustained delay limits the rate below what was admitted, and refusals say when to retry", () => {
    const g = new OverloadGovernor(POLICY, T0);
    // 1,000 tasks/s arrive while the loop is 200 ms behind.
    const r = offer(g, T0, T0 + 2_000, 1, (t) => g.observe(t, 200));
    const limit = g.state().limitPerSecond!;
    expect(limit).toBeGreaterThanOrEqual(POLICY.floorPerSecond);
    expect(limit).toBeLessThan(1_000 * POLICY.decrease);
    expect(r.refused).toBeGreaterThan(0);
    const v = g.admit(T0 + 2_000, 1, 0);
    if (v.ok) expect.unreachable("the bucket is empty while 1,000/s arrive");
    else {
      expect(v.reason).toBe("overloaded");
      expect(v.retryAfterMs).toBeGreaterThanOrEqual(50);
    }
    expect(g.wouldAdmit(T0 + 2_000).ok).toBe(false);
  });

  it("a sustained submission sojourn limits too, while the loop itself turns quickly", () => {
    const g = new OverloadGovernor(POLICY, T0);
    offer(g, T0, T0 + 1_000, 1, (t) => g.observe(t, 5, 400));
    expect(g.state().limitPerSecond).not.toBeNull();
    expect(g.state()).toMatchObject({ lagMs: 5, sojournMs: 400 });
  });

  it("never goes below the floor, comes back additively once calm, and lifts after the calm spell", () => {
    const g = new OverloadGovernor(POLICY, T0);
    let t = T0;
    for (; t < T0 + 5_000; t += 100) g.observe(t, 500);
    expect(g.state().limitPerSecond).toBe(POLICY.floorPerSecond);
    const before = g.state().limitPerSecond!;
    g.observe((t += 100), 5);
    g.observe((t += 100), 5);
    expect(g.state().limitPerSecond!).toBeGreaterThan(before);
    for (const end = t + POLICY.liftAfterMs; t <= end; t += 100) g.observe(t, 5);
    expect(g.state().limitPerSecond).toBeNull();
  });

  it("a full queue refuses new tasks even when the loop is idle", () => {
    const g = new OverloadGovernor(POLICY, T0);
    expect(g.admit(T0, 10, 990).ok).toBe(true);
    const v = g.admit(T0, 11, 990);
    expect(v).toMatchObject({ ok: false, reason: "queue_full" });
    expect(g.state().shed).toBe(11);
  });

  it("a batch larger than the bucket still gets in once the bucket is full", () => {
    const g = new OverloadGovernor(POLICY, T0);
    let t = T0;
    for (; t < T0 + 1_000; t += 100) g.observe(t, 500);
    expect(g.state().limitPerSecond).toBe(POLICY.floorPerSecond);
    t += 10_000; // refills, without a calm observation yet
    expect(g.admit(t, 500, 0).ok).toBe(true);
    expect(g.admit(t, 1, 0).ok).toBe(false);
    // …and the debt is repaid before anyone else gets in: 500 tasks at 50/s is about 10 s.
    expect(g.admit(t + 9_000, 1, 0).ok).toBe(false);
    expect(g.admit(t + 10_500, 1, 0).ok).toBe(true);
  });

  it("property: while limited, what gets in over any span is at most rate × span + one bucket", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 5 }), fc.array(fc.integer({ min: 1, max: 20 }), { minLength: 50, maxLength: 400 }), (everyMs, sizes) => {
        const g = new OverloadGovernor(POLICY, T0);
        let t = T0;
        for (; t < T0 + 3_000; t += 100) g.observe(t, 500); // pinned to the floor
        const limit = g.state().limitPerSecond!;
        const start = t;
        let admitted = 0;
        for (const n of sizes) {
          t += everyMs;
          if (g.admit(t, n, 0).ok) admitted += n;
        }
        // One batch may overdraw the bucket (it is then repaid): at most the largest batch more.
        return admitted <= (limit * (t - start)) / 1000 + Math.max(1, limit / 4) + Math.max(...sizes);
      }),
    );
  });
});
