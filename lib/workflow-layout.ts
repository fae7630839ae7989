// Positions of a workflow's steps for the dashboard's graph (React Flow) and bars for its
// Gantt chart. Pure and browser-safe: no node imports, so the page and the tests share it.
//
// The graph uses dagre's layered (Sugiyama) layout: ranks follow dependencies, and crossing
// reduction keeps fan-out copies side by side. A run of 300 steps shaped like real ones
// (layers, fan-out, fan-in) lays out in about 0.1 s. Edges that skip many layers cost more,
// since dagre routes each through one dummy node per layer skipped.
//
// Crossing reduction alone may put `test_2` above `test_1`. Nodes that are interchangeable (same
// rank, same dependencies, same dependents: fan-out copies above all) can trade places without
// adding a crossing, so after dagre they are put back in reading order: copies of one fan-out by
// their index, anything else in input order.
import dagre from "@dagrejs/dagre";

export interface LayoutOptions {
  nodeWidth?: number;
  nodeHeight?: number;
  /** LR: dependencies flow left to right (the default); TB: top to bottom. */
  direction?: "LR" | "TB";
}

export interface DagLayout {
  /** Top-left corner of each node (React Flow's convention), in pixels. */
  positions: Record<string, { x: number; y: number }>;
  width: number;
  height: number;
}

export const DEFAULT_NODE_WIDTH = 220;
export const DEFAULT_NODE_HEIGHT = 64;
/** Above this many nodes the layout trades a little rank tightness for speed. */
const LARGE_GRAPH = 150;

/**
 * Lays out a dependency graph. Unknown dependencies and repeated ids are ignored; a cycle
 * (never in a valid run) is laid out anyway, dagre reverses an edge to break it.
 */
export function layoutDag(nodes: readonly { id: string; dependsOn: readonly string[] }[], opts: LayoutOptions = {}): DagLayout {
  const width = opts.nodeWidth ?? DEFAULT_NODE_WIDTH;
  const height = opts.nodeHeight ?? DEFAULT_NODE_HEIGHT;
  if (nodes.length === 0) return { positions: {}, width: 0, height: 0 };
  const ids = new Set(nodes.map((n) => n.id));
  const g = new dagre.graphlib.Graph();
  g.setGraph({
    rankdir: opts.direction ?? "LR",
    nodesep: 24,
    // Left to right, edges need room to fan in; top to bottom, height is what a phone lacks.
    ranksep: (opts.direction ?? "LR") === "LR" ? 64 : 48,
    marginx: 16,
    marginy: 16,
    // Network simplex gives the tightest ranks but is the slow phase on big graphs (≈230 ms
    // for 300 layered nodes against ≈90 ms for tight-tree, whose ranks are nearly as good).
    ranker: ids.size > LARGE_GRAPH ? "tight-tree" : "network-simplex",
  });
  g.setDefaultEdgeLabel(() => ({}));
  for (const id of ids) g.setNode(id, { width, height });
  for (const n of nodes) for (const d of n.dependsOn) if (ids.has(d) && d !== n.id) g.setEdge(d, n.id);
  dagre.layout(g);
  const positions: Record<string, { x: number; y: number }> = {};
  for (const id of ids) {
    const p = g.node(id) as { x: number; y: number };
    // dagre gives centres.
    positions[id] = { x: p.x - width / 2, y: p.y - height / 2 };
  }
  orderInterchangeable(positions, nodes, opts.direction ?? "LR");
  const label = g.graph() as { width?: number; height?: number };
  return { positions, width: label.width ?? 0, height: label.height ?? 0 };
}

const COPY = /^(.*)_(\d+)$/;

/**
 * Nodes in reading order: copies of one fan-out (`<id>_<n>`) together, by n, so `test_2` comes
 * before `test_10`, where the first of them is in the input; everything else by input position.
 */
export function readingOrder<T extends { id: string; index: number }>(nodes: readonly T[]): T[] {
  const copy = new Map(nodes.map((n) => [n, COPY.exec(n.id)]));
  const firstOfBase = new Map<string, number>();
  for (const [n, m] of copy) if (m) firstOfBase.set(m[1], Math.min(firstOfBase.get(m[1]) ?? Infinity, n.index));
  const key = (n: T): [number, number, number] => {
    const m = copy.get(n);
    return m ? [firstOfBase.get(m[1])!, Number(m[2]), n.index] : [n.index, 0, n.index];
  };
  return [...nodes].sort((a, b) => {
    const ka = key(a);
    const kb = key(b);
    return ka[0] - kb[0] || ka[1] - kb[1] || ka[2] - kb[2];
  });
}

/** Reassigns the cross-axis slots of each set of interchangeable nodes in reading order (in place). */
function orderInterchangeable(positions: Record<string, { x: number; y: number }>, nodes: readonly { id: string; dependsOn: readonly string[] }[], direction: "LR" | "TB") {
  const first = new Map<string, { id: string; index: number; deps: string[] }>();
  nodes.forEach((n, index) => {
    if (!first.has(n.id)) first.set(n.id, { id: n.id, index, deps: [...new Set(n.dependsOn)].filter((d) => d !== n.id && positions[d]).sort() });
  });
  const dependents = new Map<string, string[]>();
  for (const n of first.values()) for (const d of n.deps) (dependents.get(d) ?? dependents.set(d, []).get(d)!).push(n.id);
  const rank = direction === "LR" ? "x" : "y";
  const cross = direction === "LR" ? "y" : "x";
  const groups = new Map<string, { id: string; index: number }[]>();
  for (const n of first.values()) {
    const key = `${Math.round(positions[n.id][rank])}|${n.deps.join(",")}|${(dependents.get(n.id) ?? []).sort().join(",")}`;
    (groups.get(key) ?? groups.set(key, []).get(key)!).push(n);
  }
  for (const group of groups.values()) {
    if (group.length < 2) continue;
    const slots = group.map((n) => positions[n.id][cross]).sort((a, b) => a - b);
    readingOrder(group).forEach((n, i) => {
      positions[n.id] = { ...positions[n.id], [cross]: slots[i] };
    });
  }
}

export interface GanttBar {
  id: string;
  /** Start, in ms after the earliest start of any step. */
  offsetMs: number;
  durationMs: number;
}

/**
 * One bar per started step, in input order, relative to the earliest start. A running step's
 * bar ends at `now`; steps that never started have no bar.
 */
export function gantt(steps: readonly { id: string; startedAt: number | null; finishedAt: number | null }[], now: number): GanttBar[] {
  const started = steps.filter((s): s is typeof s & { startedAt: number } => s.startedAt != null);
  if (started.length === 0) return [];
  const origin = started.reduce((m, s) => Math.min(m, s.startedAt), Infinity);
  return started.map((s) => ({ id: s.id, offsetMs: s.startedAt - origin, durationMs: Math.max(0, (s.finishedAt ?? now) - s.startedAt) }));
}
