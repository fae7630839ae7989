import { describe, expect, test } from "vitest";
import { gantt, layoutDag } from "./workflow-layout";

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
