import { describe, expect, test } from "vitest";
import { gantt, layoutDag, readingOrder } from "./workflow-layout";

describe("layoutDag", () => {
  test("[LAYOUT]: dependencies flow left to right, or top to bottom", () => {
    const nodes = [
      { id: "a", dependsOn: [] },
      { id: "b", dependsOn: ["a"] },
      { id: "c", dependsOn: ["b"] },
    ];
    const lr = layoutDag(nodes);
    expect(lr.positions.a.x).toBeLessThan(lr.positions.b.x);
    expect(lr.positions.b.x).toBeLessThan(lr.positions.c.x);
    const tb = layoutDag(nodes, { direction: "TB", nodeWidth: 100, nodeHeight: 40 });
    expect(tb.positions.a.y).toBeLessThan(tb.positions.b.y);
    expect(tb.positions.b.y).toBeLessThan(tb.positions.c.y);
    expect(tb.width).toBeGreaterThanOrEqual(100);
  });

  test("[LAYOUT]: positions are top-left corners inside the reported size", () => {
    const { positions, width, height } = layoutDag([{ id: "only", dependsOn: [] }], { nodeWidth: 200, nodeHeight: 50 });
    expect(positions.only.x).toBeGreaterThanOrEqual(0);
    expect(positions.only.y).toBeGreaterThanOrEqual(0);
    expect(positions.only.x + 200).toBeLessThanOrEqual(width);
    expect(positions.only.y + 50).toBeLessThanOrEqual(height);
  });

  test("[LAYOUT]: empty graphs, unknown dependencies, repeated ids and cycles are tolerated", () => {
    expect(layoutDag([])).toEqual({ positions: {}, width: 0, height: 0 });
    const r = layoutDag([
      { id: "a", dependsOn: ["ghost", "a"] },
      { id: "a", dependsOn: [] },
      { id: "b", dependsOn: ["c"] },
      { id: "c", dependsOn: ["b"] },
    ]);
    expect(Object.keys(r.positions).sort()).toEqual(["a", "b", "c"]);
  });

  // 300 nodes shaped like a large run: layered steps, a fan-out of 100 with its fan-in, a few
  // edges that skip layers. No timing assertion (machines vary); the suite's duration shows it.
  test("[LAYOUT]: lays out 300 nodes with no two overlapping", () => {
    const nodes: { id: string; dependsOn: string[] }[] = [];
    for (let i = 0; i < 150; i++) {
      const layer = Math.floor(i / 10);
      const prev = (k: number) => `n${(layer - 1) * 10 + (k % 10)}`;
      nodes.push({ id: `n${i}`, dependsOn: layer ? [prev(i * 7), prev(i * 3)] : [] });
    }
    for (let i = 1; i <= 100; i++) nodes.push({ id: `impl_${i}`, dependsOn: ["n149", ...(i % 25 === 0 ? ["n0"] : [])] });
    nodes.push({ id: "merge", dependsOn: Array.from({ length: 100 }, (_, i) => `impl_${i + 1}`) });
    for (let i = 1; i <= 49; i++) nodes.push({ id: `after_${i}`, dependsOn: [i === 1 ? "merge" : `after_${i - 1}`] });
    expect(nodes.length).toBe(300);
    const w = 180;
    const h = 48;
    const { positions, width, height } = layoutDag(nodes, { nodeWidth: w, nodeHeight: h });
    const boxes = nodes.map((n) => positions[n.id]);
    for (const b of boxes) {
      expect(b.x).toBeGreaterThanOrEqual(0);
      expect(b.y).toBeGreaterThanOrEqual(0);
      expect(b.x + w).toBeLessThanOrEqual(width + 0.5);
      expect(b.y + h).toBeLessThanOrEqual(height + 0.5);
    }
    // Sort by x so the overlap check is a sweep, not 45 000 pairs.
    const sorted = [...boxes].sort((p, q) => p.x - q.x);
    for (let i = 0; i < sorted.length; i++) {
      for (let j = i + 1; j < sorted.length && sorted[j].x < sorted[i].x + w; j++) {
        const overlap = Math.abs(sorted[i].y - sorted[j].y) < h;
        expect(overlap, `nodes at ${JSON.stringify(sorted[i])} and ${JSON.stringify(sorted[j])} overlap`).toBe(false);
      }
    }
  });
});

describe("gantt", () => {
  test("[LAYOUT]: bars are relative to the earliest start; running bars end now; unstarted steps have none", () => {
    expect(
      gantt(
        [
          { id: "b", startedAt: 1_500, finishedAt: 4_000 },
          { id: "a", startedAt: 1_000, finishedAt: 2_000 },
          { id: "c", startedAt: 3_000, finishedAt: null },
          { id: "d", startedAt: null, finishedAt: null },
        ],
        5_000,
      ),
    ).toEqual([
      { id: "b", offsetMs: 500, durationMs: 2_500 },
      { id: "a", offsetMs: 0, durationMs: 1_000 },
      { id: "c", offsetMs: 2_000, durationMs: 2_000 },
    ]);
    expect(gantt([{ id: "x", startedAt: null, finishedAt: null }], 0)).toEqual([]);
  });
});

describe("fan-out order", () => {
  const fanOut = (n: number, base = "test") => [
    { id: "plan", dependsOn: [] },
    ...Array.from({ length: n }, (_, i) => ({ id: `${base}_${i + 1}`, dependsOn: ["plan"] })),
    { id: "merge", dependsOn: Array.from({ length: n }, (_, i) => `${base}_${i + 1}`) },
  ];
  const order = (positions: Record<string, { x: number; y: number }>, ids: string[], axis: "x" | "y") => [...ids].sort((a, b) => positions[a][axis] - positions[b][axis]);

  test("[LAYOUT]: copies of a fan-out stand in index order, top to bottom (LR) or left to right (TB)", () => {
    for (const n of [2, 3, 5, 12]) {
      const nodes = fanOut(n);
      const copies = nodes.slice(1, -1).map((s) => s.id);
      expect(order(layoutDag(nodes).positions, copies, "y")).toEqual(copies);
      expect(order(layoutDag(nodes, { direction: "TB" }).positions, copies, "x")).toEqual(copies);
    }
  });

  test("[LAYOUT]: order holds when the input lists copies shuffled, and for two fan-outs in a row", () => {
    const nodes = fanOut(11);
    const shuffled = [nodes[0], ...nodes.slice(1, -1).reverse(), nodes[nodes.length - 1]];
    const copies = nodes.slice(1, -1).map((s) => s.id);
    expect(order(layoutDag(shuffled).positions, copies, "y")).toEqual(copies);

    const a = Array.from({ length: 3 }, (_, i) => ({ id: `a_${i + 1}`, dependsOn: ["root"] }));
    const b = Array.from({ length: 4 }, (_, i) => ({ id: `b_${i + 1}`, dependsOn: a.map((x) => x.id) }));
    const { positions } = layoutDag([{ id: "root", dependsOn: [] }, ...a, ...b]);
    expect(order(positions, a.map((x) => x.id), "y")).toEqual(["a_1", "a_2", "a_3"]);
    expect(order(positions, b.map((x) => x.id), "y")).toEqual(["b_1", "b_2", "b_3", "b_4"]);
  });

  test("[LAYOUT]: interchangeable steps that are not copies keep the input's order; others are left where dagre put them", () => {
    const nodes = [
      { id: "checkout", dependsOn: [] },
      { id: "lint", dependsOn: ["checkout"] },
      { id: "build", dependsOn: ["checkout"] },
      { id: "audit", dependsOn: ["checkout"] },
      { id: "ship", dependsOn: ["lint", "build", "audit"] },
    ];
    expect(order(layoutDag(nodes).positions, ["lint", "build", "audit"], "y")).toEqual(["lint", "build", "audit"]);
    // No two nodes share a slot after the reordering.
    const { positions } = layoutDag(fanOut(7));
    expect(new Set(Object.values(positions).map((p) => `${p.x},${p.y}`)).size).toBe(9);
  });

  test("[LAYOUT]: reading order compares copy numbers as numbers", () => {
    const ids = ["t_10", "t_2", "t_1", "u_1", "t_3"].map((id, index) => ({ id, index }));
    expect(readingOrder(ids).map((x) => x.id)).toEqual(["t_1", "t_2", "t_3", "t_10", "u_1"]);
    const mixed = ["solo", "x_2", "other", "x_1"].map((id, index) => ({ id, index }));
    expect(readingOrder(mixed).map((x) => x.id)).toEqual(["solo", "x_1", "x_2", "other"]);
  });
});
