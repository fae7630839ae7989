import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { ReadyQueue, before } from "./ready-queue";

/** Takes the best head across all groups, as the dispatcher does. */
function popBest(q: ReadyQueue): string | undefined {
  let best: { id: string; priority: number; seq: number } | undefined;
  for (const key of q.keys()) {
    const h = q.head(key)!;
    if (!best || before(h, best)) best = h;
  }
  if (best) q.remove(best.id);
  return best?.id;
}

function drainAll(q: ReadyQueue): string[] {
  const out: string[] = [];
  for (let id = popBest(q); id !== undefined; id = popBest(q)) out.push(id);
  return out;
}

describe("ordering", () => {
  test("[READY_QUEUE]: higher priority comes first", () => {
    const q = new ReadyQueue();
    q.push("low", "k", 0);
    q.push("high", "k", 10);
    q.push("mid", "k", 5);
    q.push("neg", "k", -3);
    expect([...q.idsOf("k")]).toEqual(["high", "mid", "low", "neg"]);
    expect(drainAll(q)).toEqual(["high", "mid", "low", "neg"]);
  });

  test("[READY_QUEUE]: tasks of equal priority leave in arrival order", () => {
    const q = new ReadyQueue();
    for (const id of ["a", "b", "c", "d"]) q.push(id, "k", 1);
    expect(q.head("k")?.id).toBe("a");
    expect(drainAll(q)).toEqual(["a", "b", "c", "d"]);
  });

  test("[READY_QUEUE]: heads of different groups are merged by priority, then age", () => {
    const q = new ReadyQueue();
    q.push("g1-old", "g1", 1);
    q.push("g2-old", "g2", 1);
    q.push("g2-urgent", "g2", 9);
    q.push("g1-new", "g1", 1);
    expect(drainAll(q)).toEqual(["g2-urgent", "g1-old", "g2-old", "g1-new"]);
  });

  test("[READY_QUEUE]: before() compares priority first and age second", () => {
    expect(before({ priority: 2, seq: 9 }, { priority: 1, seq: 0 })).toBe(true);
    expect(before({ priority: 1, seq: 0 }, { priority: 1, seq: 1 })).toBe(true);
    expect(before({ priority: 1, seq: 1 }, { priority: 1, seq: 0 })).toBe(false);
  });
});

describe("membership", () => {
  test("[READY_QUEUE]: pushing an id twice keeps the first entry", () => {
    const q = new ReadyQueue();
    q.push("a", "k", 0);
    q.push("b", "k", 0);
    q.push("a", "k", 99);
    expect(q.size).toBe(2);
    expect([...q.idsOf("k")]).toEqual(["a", "b"]);
  });

  test("[READY_QUEUE]: removing from the middle keeps the rest in order", () => {
    const q = new ReadyQueue();
    for (const id of ["a", "b", "c", "d", "e"]) q.push(id, "k", 0);
    expect(q.remove("c")).toBe(true);
    expect(q.remove("c")).toBe(false);
    expect(q.has("c")).toBe(false);
    expect(q.size).toBe(4);
    expect([...q.idsOf("k")]).toEqual(["a", "b", "d", "e"]);
    expect(drainAll(q)).toEqual(["a", "b", "d", "e"]);
  });

  test("[READY_QUEUE]: removing the head exposes the next one", () => {
    const q = new ReadyQueue();
    q.push("a", "k", 0);
    q.push("b", "k", 0);
    q.remove("a");
    expect(q.head("k")?.id).toBe("b");
  });

  test("[READY_QUEUE]: an emptied group disappears from keys()", () => {
    const q = new ReadyQueue();
    q.push("a", "k1", 0);
    q.push("b", "k2", 0);
    q.remove("a");
    expect(q.keys()).toEqual(["k2"]);
    expect(q.head("k1")).toBeUndefined();
    expect([...q.idsOf("k1")]).toEqual([]);
  });

  test("[READY_QUEUE]: a removed id can be pushed again and goes to the back", () => {
    const q = new ReadyQueue();
    q.push("a", "k", 0);
    q.push("b", "k", 0);
    q.remove("a");
    q.push("a", "k", 0);
    expect(drainAll(q)).toEqual(["b", "a"]);
  });
});

describe("positionOf", () => {
  test("[READY_QUEUE]: counts the tasks that would be dispatched before, across groups", () => {
    const q = new ReadyQueue();
    q.push("a", "k1", 0);
    q.push("b", "k2", 5);
    q.push("c", "k1", 0);
    q.push("d", "k2", 0);
    expect(q.positionOf("b")).toBe(0);
    expect(q.positionOf("a")).toBe(1);
    expect(q.positionOf("c")).toBe(2);
    expect(q.positionOf("d")).toBe(3);
    expect(q.positionOf("missing")).toBe(-1);
    q.remove("a");
    expect(q.positionOf("c")).toBe(1);
  });
});

describe("scale", () => {
  test("[READY_QUEUE]: many groups and thousands of tasks keep their order through compaction", () => {
    const q = new ReadyQueue();
    const expected: { id: string; priority: number; seq: number }[] = [];
    for (let i = 0; i < 5000; i++) {
      const priority = i % 3;
      const id = `t${i}`;
      q.push(id, `g${i % 17}`, priority);
      expected.push({ id, priority, seq: i });
    }
    expect(q.keys().length).toBe(17);
    expect(q.size).toBe(5000);
    expected.sort((x, y) => y.priority - x.priority || x.seq - y.seq);
    expect(drainAll(q)).toEqual(expected.map((e) => e.id));
    expect(q.size).toBe(0);
    expect(q.keys()).toEqual([]);
  });

  test("[READY_QUEUE]: one long FIFO drained from the head and refilled stays in order", () => {
    const q = new ReadyQueue();
    const out: string[] = [];
    let next = 0;
    for (let round = 0; round < 6; round++) {
      for (let i = 0; i < 1000; i++) q.push(`t${next++}`, "k", 0);
      for (let i = 0; i < 700; i++) out.push(popBest(q)!);
    }
    out.push(...drainAll(q));
    expect(out).toEqual(Array.from({ length: next }, (_, i) => `t${i}`));
  });
});

describe("property", () => {
  type Op = { kind: "push"; key: number; priority: number } | { kind: "remove"; pick: number } | { kind: "pop" };
  const op: fc.Arbitrary<Op> = fc.oneof(
    { weight: 5, arbitrary: fc.record({ kind: fc.constant("push" as const), key: fc.integer({ min: 0, max: 3 }), priority: fc.integer({ min: -2, max: 2 }) }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant("remove" as const), pick: fc.nat() }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant("pop" as const) }) },
  );

  test("[READY_QUEUE]: popping the best head across groups yields priority desc, insertion order asc", () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 120 }), (ops) => {
        const q = new ReadyQueue();
        // The model: live entries with their insertion number.
        let model: { id: string; key: string; priority: number; seq: number }[] = [];
        const order = () => [...model].sort((a, b) => b.priority - a.priority || a.seq - b.seq);
        let n = 0;
        for (const o of ops) {
          if (o.kind === "push") {
            const e = { id: `t${n}`, key: `k${o.key}`, priority: o.priority, seq: n++ };
            q.push(e.id, e.key, e.priority);
            model.push(e);
          } else if (o.kind === "remove") {
            if (model.length === 0) continue;
            const victim = model[o.pick % model.length];
            expect(q.remove(victim.id)).toBe(true);
            model = model.filter((e) => e !== victim);
          } else {
            const best = order()[0];
            expect(popBest(q)).toBe(best?.id);
            model = model.filter((e) => e !== best);
          }
          expect(q.size).toBe(model.length);
          const sorted = order();
          sorted.forEach((e, i) => expect(q.positionOf(e.id)).toBe(i));
          for (const key of new Set(model.map((e) => e.key))) {
            expect([...q.idsOf(key)]).toEqual(sorted.filter((e) => e.key === key).map((e) => e.id));
          }
        }
        expect(drainAll(q)).toEqual(order().map((e) => e.id));
      }),
      { numRuns: 300 },
    );
  });
});
