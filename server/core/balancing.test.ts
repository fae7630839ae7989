import fc from "fast-check";
import { describe, expect, test } from "vitest";
import type { Strategy } from "@/lib/protocol";
import {
  leastLoaded,
  performanceWeighted,
  pick,
  recordOutcome,
  resourceAware,
  resourceScore,
  roundRobin,
  type BalanceContext,
  type Candidate,
  type PerformanceStat,
} from "./balancing";

const cand = (id: string, order: number, over: Partial<Candidate> = {}): Candidate => ({
  id,
  order,
  slots: 4,
  slotsUsed: 0,
  cpu: null,
  cpuCount: null,
  memoryMb: null,
  memoryTotalMb: null,
  ...over,
});

const ctx = (stats: Record<string, PerformanceStat> = {}, lastOrder = -1): BalanceContext => ({
  lastOrder,
  capabilities: ["ts"],
  performance: (id) => stats[id],
});

describe("least-loaded", () => {
  test("[BALANCING]: picks the agent with the smallest share of slots in use", () => {
    const a = cand("a", 0, { slots: 2, slotsUsed: 1 }); // 50%
    const b = cand("b", 1, { slots: 4, slotsUsed: 1 }); // 25%
    const c = cand("c", 2, { slots: 1, slotsUsed: 0 }); // 0%
    expect(leastLoaded([a, b, c]).id).toBe("c");
    expect(leastLoaded([a, b]).id).toBe("b");
  });

  test("[BALANCING]: ties go to the earliest registered agent, whatever the list order", () => {
    const a = cand("a", 3, { slots: 2, slotsUsed: 1 });
    const b = cand("b", 1, { slots: 4, slotsUsed: 2 });
    expect(leastLoaded([a, b]).id).toBe("b");
    expect(leastLoaded([b, a]).id).toBe("b");
  });
});

describe("round-robin", () => {
  test("[BALANCING]: picks the next agent after the last one, wrapping around", () => {
    const cs = [cand("a", 0), cand("b", 1), cand("c", 2)];
    expect(roundRobin(cs, -1).id).toBe("a");
    expect(roundRobin(cs, 0).id).toBe("b");
    expect(roundRobin(cs, 1).id).toBe("c");
    expect(roundRobin(cs, 2).id).toBe("a");
  });

  test("[BALANCING]: skips agents that are not candidates (busy) without losing its place", () => {
    // b (order 1) is busy and so not offered; after a comes c, then back to a.
    const cs = [cand("c", 2), cand("a", 0)];
    expect(roundRobin(cs, 0).id).toBe("c");
    expect(roundRobin(cs, 1).id).toBe("c");
    expect(roundRobin(cs, 2).id).toBe("a");
  });

  test("[BALANCING]: cycling through the strategy visits every agent once per round", () => {
    const cs = [cand("d", 7), cand("a", 1), cand("c", 5), cand("b", 3)];
    let last = -1;
    const seen: string[] = [];
    for (let i = 0; i < 8; i++) {
      const p = pick("round-robin", cs, ctx({}, last));
      seen.push(p.id);
      last = p.order;
    }
    expect(seen).toEqual(["a", "b", "c", "d", "a", "b", "c", "d"]);
  });
});

describe("resource-aware", () => {
  test("[BALANCING]: prefers the agent with the most CPU and memory headroom", () => {
    const hot = cand("hot", 0, { cpu: 180, cpuCount: 2, memoryMb: 6000, memoryTotalMb: 8000 }); // 0.9 + 0.75
    const cool = cand("cool", 1, { cpu: 50, cpuCount: 4, memoryMb: 1000, memoryTotalMb: 8000 }); // 0.125 + 0.125
    expect(resourceAware([hot, cool]).id).toBe("cool");
  });

  test("[BALANCING]: CPU is normalised by core count", () => {
    const big = cand("big", 0, { cpu: 200, cpuCount: 8, memoryMb: 100, memoryTotalMb: 1000 }); // 0.25
    const small = cand("small", 1, { cpu: 60, cpuCount: 1, memoryMb: 100, memoryTotalMb: 1000 }); // 0.6
    expect(resourceAware([small, big]).id).toBe("big");
  });

  test("[BALANCING]: an agent that has not reported resources counts as half loaded", () => {
    const unreported = cand("new", 0);
    expect(resourceScore(unreported)).toBeCloseTo(1.0);
    const busy = cand("busy", 1, { cpu: 80, cpuCount: 1, memoryMb: 700, memoryTotalMb: 1000 }); // 1.5
    const idle = cand("idle", 2, { cpu: 10, cpuCount: 1, memoryMb: 100, memoryTotalMb: 1000 }); // 0.2
    expect(resourceAware([unreported, busy]).id).toBe("new");
    expect(resourceAware([unreported, idle]).id).toBe("idle");
  });

  test("[BALANCING]: a zero memory total counts as unreported memory", () => {
    expect(resourceScore(cand("x", 0, { cpu: 0, cpuCount: 1, memoryMb: 10, memoryTotalMb: 0 }))).toBeCloseTo(0.5);
  });

  test("[BALANCING]: slot load adds to the resource score", () => {
    const r = { cpu: 10, cpuCount: 1, memoryMb: 100, memoryTotalMb: 1000 };
    const loaded = cand("loaded", 0, { ...r, slots: 2, slotsUsed: 1 });
    const free = cand("free", 1, { ...r });
    expect(resourceScore(loaded) - resourceScore(free)).toBeCloseTo(0.5);
    expect(resourceAware([loaded, free]).id).toBe("free");
  });
});

describe("performance-weighted", () => {
  test("[BALANCING]: favours the agent with the higher success rate", () => {
    const stats = { a: { succeeded: 5, failed: 5, meanMs: 100 }, b: { succeeded: 9, failed: 1, meanMs: 100 } };
    expect(performanceWeighted([cand("a", 0), cand("b", 1)], ctx(stats)).id).toBe("b");
  });

  test("[BALANCING]: favours the faster agent at equal success", () => {
    const stats = { a: { succeeded: 10, failed: 0, meanMs: 2000 }, b: { succeeded: 10, failed: 0, meanMs: 1000 } };
    expect(performanceWeighted([cand("a", 0), cand("b", 1)], ctx(stats)).id).toBe("b");
  });

  test("[BALANCING]: speed is relative, so scaling every mean does not change the pick", () => {
    const stats = (k: number) => ({ a: { succeeded: 9, failed: 1, meanMs: 300 * k }, b: { succeeded: 6, failed: 0, meanMs: 200 * k } });
    const cs = [cand("a", 0), cand("b", 1)];
    expect(performanceWeighted(cs, ctx(stats(1))).id).toBe(performanceWeighted(cs, ctx(stats(1000))).id);
  });

  test("[BALANCING]: a new agent beats one with a poor record", () => {
    const stats = { poor: { succeeded: 1, failed: 4, meanMs: 100 } }; // rate 2/7
    expect(performanceWeighted([cand("poor", 0), cand("new", 1)], ctx(stats)).id).toBe("new");
  });

  test("[BALANCING]: a new agent gets work once the proven agent is loaded", () => {
    const stats = { proven: { succeeded: 3, failed: 1, meanMs: 100 } }; // rate 4/6
    const idle = cand("proven", 0, { slots: 2, slotsUsed: 0 });
    const half = cand("proven", 0, { slots: 2, slotsUsed: 1 }); // 0.667 * 0.75 = 0.5, the prior
    const mostly = cand("proven", 0, { slots: 4, slotsUsed: 3 }); // 0.667 * 0.625 = 0.417
    const fresh = cand("new", 1);
    expect(performanceWeighted([idle, fresh], ctx(stats)).id).toBe("proven");
    expect(performanceWeighted([half, fresh], ctx(stats)).id).toBe("proven"); // exact tie: earlier registration
    expect(performanceWeighted([mostly, fresh], ctx(stats)).id).toBe("new");
  });

  test("[BALANCING]: with no stats at all it behaves like least-loaded with order tie-breaks", () => {
    const cs = [cand("b", 1, { slotsUsed: 1 }), cand("a", 0, { slotsUsed: 1 }), cand("c", 2, { slotsUsed: 2 })];
    expect(performanceWeighted(cs, ctx()).id).toBe("a");
  });
});

describe("deterministic ties", () => {
  const strategies: Strategy[] = ["least-loaded", "round-robin", "resource-aware", "performance-weighted"];

  test.each(strategies)("[BALANCING]: %s picks the earliest registered of identical agents", (strategy) => {
    const cs = [cand("z", 9), cand("m", 4), cand("k", 2)];
    expect(pick(strategy, cs, ctx()).id).toBe("k");
  });

  test("[BALANCING]: the pick does not depend on candidate list order (property)", () => {
    const candArb = fc.record({
      slots: fc.integer({ min: 1, max: 4 }),
      used: fc.integer({ min: 0, max: 3 }),
      cpu: fc.option(fc.integer({ min: 0, max: 400 })),
      mem: fc.option(fc.integer({ min: 0, max: 1000 })),
      succeeded: fc.integer({ min: 0, max: 5 }),
      failed: fc.integer({ min: 0, max: 5 }),
      meanMs: fc.option(fc.integer({ min: 1, max: 5 })),
    });
    fc.assert(
      fc.property(fc.constantFrom(...strategies), fc.array(candArb, { minLength: 1, maxLength: 6 }), fc.integer({ min: -1, max: 6 }), (strategy, raw, lastOrder) => {
        const stats: Record<string, PerformanceStat> = {};
        const cs = raw.map((r, i) => {
          stats[`a${i}`] = { succeeded: r.succeeded, failed: r.failed, meanMs: r.meanMs == null ? null : r.meanMs * 100 };
          return cand(`a${i}`, i, {
            slots: r.slots,
            slotsUsed: Math.min(r.used, r.slots - 1),
            cpu: r.cpu,
            cpuCount: 2,
            memoryMb: r.mem,
            memoryTotalMb: 1000,
          });
        });
        const forward = pick(strategy, cs, ctx(stats, lastOrder)).id;
        const backward = pick(strategy, [...cs].reverse(), ctx(stats, lastOrder)).id;
        expect(backward).toBe(forward);
      }),
      { numRuns: 300 },
    );
  });

  test("[BALANCING]: pick() refuses an empty candidate list", () => {
    expect(() => pick("least-loaded", [], ctx())).toThrow(/at least one candidate/);
  });
});

describe("recordOutcome", () => {
  test("[BALANCING]: the first success sets the mean to its duration", () => {
    expect(recordOutcome(undefined, true, 1000)).toEqual({ succeeded: 1, failed: 0, meanMs: 1000 });
  });

  test("[BALANCING]: later successes move the mean by an EWMA with alpha 0.2", () => {
    let s = recordOutcome(undefined, true, 1000);
    s = recordOutcome(s, true, 2000);
    expect(s.meanMs).toBeCloseTo(1200);
    s = recordOutcome(s, true, 200);
    expect(s.meanMs).toBeCloseTo(1000);
    expect(s.succeeded).toBe(3);
  });

  test("[BALANCING]: failures count but do not move the mean", () => {
    const s = recordOutcome(recordOutcome(undefined, true, 500), false, 99_999);
    expect(s).toEqual({ succeeded: 1, failed: 1, meanMs: 500 });
  });

  test("[BALANCING]: a success with unknown duration keeps the mean", () => {
    expect(recordOutcome({ succeeded: 2, failed: 0, meanMs: 300 }, true, null)).toEqual({ succeeded: 3, failed: 0, meanMs: 300 });
    expect(recordOutcome(undefined, true, null)).toEqual({ succeeded: 1, failed: 0, meanMs: null });
  });

  test("[BALANCING]: the input stat is not mutated", () => {
    const s = { succeeded: 1, failed: 0, meanMs: 100 };
    recordOutcome(s, true, 200);
    expect(s).toEqual({ succeeded: 1, failed: 0, meanMs: 100 });
  });
});
