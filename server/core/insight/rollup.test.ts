import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { RollupBuffer, addCounters, dimensionsOf, emptyCounters, keyString, parseKey, type Counters, type FactScope } from "./rollup";

const T0 = Date.UTC(2026, 10, 30, 10, 0);

type Fact = { kind: "submitted" | "started" | "ended" | "retried" | "busy" | "attempt"; at: number; scope: FactScope; ms: number };

const scopeArb: fc.Arbitrary<FactScope> = fc.record({
  capabilities: fc.subarray(["build", "test", "docs"]),
  template: fc.constantFrom(null, "release@1", "release@2"),
  agent: fc.constantFrom(null, "b-1", "b-2"),
  labels: fc.subarray(["region=eu", "gpu=yes"]),
});
const factArb: fc.Arbitrary<Fact> = fc.record({
  kind: fc.constantFrom("submitted", "started", "ended", "retried", "busy", "attempt"),
  at: fc.integer({ min: T0, max: T0 + 3 * 86_400_000 }),
  scope: scopeArb,
  ms: fc.integer({ min: 0, max: 5_000_000 }),
});

function apply(b: RollupBuffer, f: Fact) {
  if (f.kind === "submitted") b.submitted(f.at, f.scope);
  else if (f.kind === "started") b.started(f.at, f.scope, f.ms);
  else if (f.kind === "ended") b.ended(f.at, f.scope, "succeeded");
  else if (f.kind === "retried") b.retried(f.at, f.scope);
  else if (f.kind === "busy") b.busy(f.at, f.scope, f.ms);
  else b.attemptEnded(f.at, f.scope, f.ms, true, f.ms / 2);
}

/** Drains into one map, adding rows with the same key (as the store's upsert does). */
function stored(...drains: { key: Parameters<typeof keyString>[0]; counters: Counters }[][]): Map<string, Counters> {
  const out = new Map<string, Counters>();
  for (const d of drains) for (const r of d) out.set(keyString(r.key), addCounters(out.get(keyString(r.key)) ?? emptyCounters(), r.counters));
  return out;
}

describe("[ROLLUP] rollups as sums", () => {
  it("rolling up in two batches and adding equals rolling up everything at once (property)", () => {
    fc.assert(
      fc.property(fc.array(factArb, { maxLength: 60 }), fc.nat(), (facts, cut) => {
        const split = cut % (facts.length + 1);
        const a = new RollupBuffer();
        const b = new RollupBuffer();
        facts.slice(0, split).forEach((f) => apply(a, f));
        facts.slice(split).forEach((f) => apply(b, f));
        const one = new RollupBuffer();
        facts.forEach((f) => apply(one, f));
        expect(stored(a.drain(), b.drain())).toEqual(stored(one.drain()));
      }),
      { numRuns: 200 },
    );
  });

  it("offered slot time and samples wait until their minute is over, and are seen meanwhile", () => {
    const b = new RollupBuffer();
    const scope: FactScope = { capabilities: ["build"], template: null, agent: "b-1", labels: [] };
    b.available(T0 + 1_000, scope, 10_000);
    b.sample(T0 + 2_000, "b-1", 50, 100);
    b.submitted(T0 + 3_000, scope);
    const avail = (rows: { key: { granularity: string; dim: string }; counters: Counters }[]) => rows.filter((r) => r.key.granularity === "day" && r.key.dim === "all").reduce((n, r) => n + r.counters.availMs, 0);
    const first = b.drain(T0 + 30_000);
    expect(first.some((r) => r.counters.submitted > 0)).toBe(true);
    expect(avail(first)).toBe(0);
    expect(avail(b.peek())).toBe(10_000);
    const second = b.drain(T0 + 60_000);
    expect(avail(second)).toBe(10_000);
    expect(second.filter((r) => r.key.granularity === "minute" && r.key.dim === "agent").map((r) => r.counters.samples)).toEqual([1]);
    expect(b.peek()).toEqual([]);
    b.available(T0 + 61_000, scope, 5_000);
    expect(avail(b.drain())).toBe(5_000); // at stop: everything
  });

  it("a peek narrowed to a granularity and dimensions is the full peek filtered (property)", () => {
    const dimArb = fc.subarray(["all", "capability", "template", "agent", "label"] as const, { minLength: 1 });
    fc.assert(
      fc.property(fc.array(factArb, { maxLength: 40 }), fc.constantFrom(undefined, "minute", "hour", "day"), fc.option(dimArb, { nil: undefined }), (facts, granularity, dims) => {
        const b = new RollupBuffer();
        facts.forEach((f) => apply(b, f));
        const want = b.peek().filter((r) => (!granularity || r.key.granularity === granularity) && (!dims || (dims as readonly string[]).includes(r.key.dim)));
        expect(stored(b.peek({ granularity, dims }))).toEqual(stored(want));
      }),
      { numRuns: 150 },
    );
  });

  it("an hour is the sum of its minutes and a day the sum of its hours (property)", () => {
    fc.assert(
      fc.property(fc.array(factArb, { maxLength: 60 }), (facts) => {
        const b = new RollupBuffer();
        facts.forEach((f) => apply(b, f));
        const rows = b.drain();
        const total = (g: string) => {
          const c = emptyCounters();
          for (const r of rows) if (r.key.granularity === g && r.key.dim === "all") addCounters(c, r.counters);
          return c;
        };
        expect(total("hour")).toEqual(total("minute"));
        expect(total("day")).toEqual(total("minute"));
      }),
      { numRuns: 100 },
    );
  });

  it("counts a fact under the fleet, each capability, the template, the agent, its capabilities and labels", () => {
    expect(dimensionsOf({ capabilities: ["build", "test"], template: "release@2", agent: "b-1", labels: ["region=eu"] })).toEqual([
      ["all", "*"],
      ["capability", "build"],
      ["capability", "test"],
      ["template", "release@2"],
      ["agent", "b-1"],
      ["agent_capability", "b-1/build"],
      ["agent_capability", "b-1/test"],
      ["label", "region=eu"],
    ]);
    expect(dimensionsOf({ capabilities: [], template: null, agent: null, labels: [] })).toEqual([
      ["all", "*"],
      ["capability", "(none)"],
    ]);
  });

  it("keys survive a round trip, even with | in the key", () => {
    const k = { granularity: "hour" as const, bucket: T0, dim: "label" as const, key: "a|b=c" };
    expect(parseKey(keyString(k))).toEqual(k);
  });

  it("samples count for the fleet and the agent only; errors under their group", () => {
    const b = new RollupBuffer();
    b.sample(T0, "b-1", 50, 300);
    b.errorOccurred(T0, "abc");
    const rows = b.drain().filter((r) => r.key.granularity === "minute");
    expect(rows.map((r) => `${r.key.dim}:${r.key.key}`).sort()).toEqual(["agent:b-1", "all:*", "error:abc"]);
    expect(rows.find((r) => r.key.dim === "error")!.counters.failed).toBe(1);
    expect(rows.find((r) => r.key.dim === "agent")!.counters.cpuSum).toBe(50);
  });
});
