import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DEFAULT_POLICY, decide, describeDecision, emptyScalerState, type Decision, type Observation, type ScalePolicy, type ScalerState } from "./autoscaler";

const policy = (over: Partial<ScalePolicy> = {}): ScalePolicy => ({ ...DEFAULT_POLICY, min: 0, max: 10, slotsPerAgent: 2, ...over });
const T0 = 1_800_000_000_000;

/** Runs observations through the autoscaler, the pool following each decision at once. */
function run(p: ScalePolicy, steps: { dt: number; backlog: number; busy: number; forecast?: number | null }[], start = 0): Decision[] {
  let state: ScalerState = emptyScalerState();
  let current = start;
  let at = T0;
  const out: Decision[] = [];
  for (const s of steps) {
    at += s.dt;
    const o: Observation = { at, current, backlog: s.backlog, busySlots: Math.min(s.busy, current * p.slotsPerAgent), forecastSlots: s.forecast ?? null };
    const r = decide(p, state, o);
    state = r.state;
    out.push(r.decision);
    current = r.decision.to;
  }
  return out;
}

const stepArb = fc.record({ dt: fc.integer({ min: 1_000, max: 60_000 }), backlog: fc.integer({ min: 0, max: 200 }), busy: fc.integer({ min: 0, max: 40 }), forecast: fc.option(fc.integer({ min: 0, max: 80 }), { nil: null }) });
const policyArb = fc
  .record({ min: fc.integer({ min: 0, max: 3 }), span: fc.integer({ min: 0, max: 12 }), slotsPerAgent: fc.integer({ min: 1, max: 4 }), target: fc.constantFrom(0.5, 1, 4, 8), predictive: fc.boolean() })
  .map((r) => policy({ min: r.min, max: r.min + r.span, slotsPerAgent: r.slotsPerAgent, targetBacklogPerSlot: r.target, predictive: { enabled: r.predictive, leadMs: 600_000 } }));

describe("autoscaler", () => {
  it("scales a burst up by the HPA formula, within the step limit, and says why", () => {
    const [d] = run(policy({ max: 20, targetBacklogPerSlot: 8, slotsPerAgent: 1, up: { ...DEFAULT_POLICY.up, agents: 10 } }), [{ dt: 1000, backlog: 41, busy: 0 }], 2);
    expect(d).toMatchObject({ from: 2, to: 6, reactive: 6, rule: "reactive" });
    expect(describeDecision(d)).toBe("scaled 2 → 6: backlog 41 tasks over target 8 per slot, 0 busy slots");
    const [limited] = run(policy({ max: 20, slotsPerAgent: 1 }), [{ dt: 1000, backlog: 40, busy: 0 }], 2);
    expect(limited).toMatchObject({ from: 2, to: 6, rule: "step-limit" }); // 4 agents or 100 % per 15 s
    expect(describeDecision(limited)).toBe("scaled 2 → 6: backlog 40 tasks over target 1 per slot, 0 busy slots; at most 4 agents or 100 % more per 15 s");
    const [both] = run(policy({ max: 4, slotsPerAgent: 1 }), [{ dt: 1000, backlog: 100, busy: 0 }], 0);
    expect(both).toMatchObject({ from: 0, to: 4, rule: "max", wanted: 100 });
    expect(describeDecision(both)).toBe("scaled 0 → 4: backlog 100 tasks over target 1 per slot, 0 busy slots; wanted 100, the maximum is 4");
  });

  it("limits each step from the count the period started with, as the HPA does", () => {
    const p = policy({ max: 20, slotsPerAgent: 1, down: { ...DEFAULT_POLICY.down, stabilizationMs: 0, periodMs: 1_000, agents: 10 }, cooldownMs: 0 });
    // 0 → 4 (the step), 4 → 0 when idle, and 0 → 4 again at once: nothing net was added in the period.
    const ds = run(p, [{ dt: 1000, backlog: 40, busy: 0 }, { dt: 2000, backlog: 0, busy: 0 }, { dt: 1000, backlog: 40, busy: 0 }], 0);
    expect(ds.map((d) => [d.from, d.to])).toEqual([
      [0, 4],
      [4, 0],
      [0, 4],
    ]);
    // Within one period the budget is shared: 4 → 8 → still 8 until the period has passed.
    const up = run(p, [{ dt: 1000, backlog: 40, busy: 0 }, { dt: 1000, backlog: 40, busy: 0 }, { dt: 1000, backlog: 40, busy: 0 }], 4);
    expect(up.map((d) => d.to)).toEqual([8, 8, 8]);
    const later = run(p, [{ dt: 1000, backlog: 40, busy: 0 }, { dt: 16_000, backlog: 40, busy: 0 }], 4);
    expect(later.map((d) => d.to)).toEqual([8, 16]);
  });

  it("wakes from zero only past the activation threshold, and goes back to zero after idling", () => {
    const p = policy({ activationBacklog: 3 });
    expect(run(p, [{ dt: 1000, backlog: 3, busy: 0 }])[0]).toMatchObject({ to: 0, rule: "activation" });
    expect(run(p, [{ dt: 1000, backlog: 4, busy: 0 }])[0]).toMatchObject({ to: 2, rule: "reactive" });
    const idle = run(policy(), [{ dt: 1000, backlog: 4, busy: 0 }, ...Array.from({ length: 20 }, () => ({ dt: 30_000, backlog: 0, busy: 0 }))]);
    expect(idle[0].to).toBe(2);
    expect(idle.at(-1)!.to).toBe(0);
    // Not before the stabilisation window (120 s) and the cooldown (60 s) have passed.
    const firstDown = idle.findIndex((d) => d.to < d.from);
    expect(firstDown * 30_000).toBeGreaterThanOrEqual(120_000);
  });

  it("pre-scales for the forecast, but never past max, and reports when it is held at max", () => {
    const [d] = run(policy({ predictive: { enabled: true, leadMs: 600_000 } }), [{ dt: 1000, backlog: 0, busy: 0, forecast: 8 }], 1);
    expect(d).toMatchObject({ to: 4, rule: "predictive", predictive: 4 });
    expect(describeDecision(d)).toBe("scaled 1 → 4: forecast needs 8 slots in 10 min");
    const [capped] = run(policy({ max: 3, predictive: { enabled: true, leadMs: 600_000 } }), [{ dt: 1000, backlog: 0, busy: 0, forecast: 40 }], 3);
    expect(capped).toMatchObject({ to: 3, rule: "max", wanted: 20 });
  });

  it("property: always within min and max", () => {
    fc.assert(
      fc.property(policyArb, fc.array(stepArb, { minLength: 1, maxLength: 40 }), fc.integer({ min: 0, max: 20 }), (p, steps, start) => {
        const ds = run(p, steps, start);
        for (const d of ds) {
          expect(d.to).toBeGreaterThanOrEqual(p.min);
          expect(d.to).toBeLessThanOrEqual(p.max);
        }
      }),
    );
  });

  it("property: no change inside the tolerance band", () => {
    fc.assert(
      fc.property(fc.integer({ min: 5, max: 10 }), fc.integer({ min: 0, max: 100 }), (current, busyPct) => {
        const p = policy({ min: 0, max: 100, slotsPerAgent: 10, tolerance: 0.1 });
        // Demand within ±10 % of what `current` agents offer.
        const busy = Math.round(current * 10 * (0.9 + (busyPct / 100) * 0.2));
        const [d] = run(p, [{ dt: 1000, backlog: 0, busy: Math.min(busy, current * 10) }], current);
        if (Math.abs(d.reactive / current - 1) <= 0.1) expect(d.to).toBe(current);
      }),
    );
  });

  it("property: scale-down waits for the stabilisation window after a higher recommendation", () => {
    fc.assert(
      fc.property(policyArb, fc.array(stepArb, { minLength: 2, maxLength: 40 }), (p, steps) => {
        let state = emptyScalerState();
        let current = p.min;
        let at = T0;
        const wanted: { at: number; w: number }[] = [];
        for (const s of steps) {
          at += s.dt;
          const r = decide(p, state, { at, current, backlog: s.backlog, busySlots: Math.min(s.busy, current * p.slotsPerAgent), forecastSlots: s.forecast ?? null });
          state = r.state;
          const d = r.decision;
          if (d.to < d.from) {
            // Every recommendation inside the window is at or below where it went (bounds aside).
            const recent = wanted.filter((x) => x.at > at - p.down.stabilizationMs).map((x) => Math.min(Math.max(x.w, p.min), p.max));
            for (const w of recent) expect(Math.min(w, d.from)).toBeLessThanOrEqual(Math.max(d.to, p.min));
          }
          const last = state.recommendations.at(-1);
          if (last && last.at === at) wanted.push({ at, w: last.desired });
          current = d.to;
        }
      }),
    );
  });

  it("property: predictive scaling never exceeds max, and never goes below what demand needs now", () => {
    fc.assert(
      fc.property(policyArb, fc.array(stepArb, { minLength: 1, maxLength: 30 }), (p0, steps) => {
        const p = { ...p0, predictive: { enabled: true, leadMs: 600_000 } };
        for (const d of run(p, steps, p.min)) {
          expect(d.to).toBeLessThanOrEqual(p.max);
          if (d.predictive != null) expect(d.wanted).toBeGreaterThanOrEqual(Math.min(d.reactive, d.wanted));
        }
      }),
    );
  });
});
