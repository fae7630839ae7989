// Maps a run's steps (or an editor preview's graph) to React Flow nodes and edges. Pure and
// identity-preserving: a `run:updated` push replaces only the nodes and edges whose step changed,
// so React Flow re-renders those and nothing else, and a 200-step run stays smooth. Layout
// positions come from lib/workflow-layout.ts and are recomputed only when the set of steps
// (their ids and dependencies) changes — `structureKey` says when.
import type { Edge, Node } from "@xyflow/react";
import { Position } from "@xyflow/react";
import type { StepDef } from "@/lib/workflow";
import { edgeId } from "./critical-path";
import type { StepRow } from "@/lib/client/run-patches";

export const NODE_WIDTH = 220;
// Room for a two-line title at 14 px and a status line at 12 px.
export const NODE_HEIGHT = 76;

export type Direction = "LR" | "TB";
export type XY = { x: number; y: number };

export type StepNodeData = { step: StepRow; critical: boolean };
export type StepNode = Node<StepNodeData, "step">;

export interface PreviewStep {
  id: string;
  type: StepDef["type"];
  title: string;
  dependsOn: string[];
}
export type PreviewNodeData = { step: PreviewStep };
export type PreviewNode = Node<PreviewNodeData, "preview">;

/** Changes exactly when the graph's shape does: which steps exist and what they depend on. */
export function structureKey(steps: readonly { id: string; dependsOn: readonly string[] }[]): string {
  return steps.map((s) => `${s.id}<${s.dependsOn.join(",")}`).join("|");
}

const HANDLES: Record<Direction, { sourcePosition: Position; targetPosition: Position }> = {
  LR: { sourcePosition: Position.Right, targetPosition: Position.Left },
  TB: { sourcePosition: Position.Bottom, targetPosition: Position.Top },
};

const ORIGIN: XY = { x: 0, y: 0 };

/**
 * One node per step. A previous node is reused as is when its step object, position, critical
 * flag and selection are unchanged; the previous array is returned when every node was.
 */
export function syncStepNodes(
  prev: readonly StepNode[],
  steps: readonly StepRow[],
  positions: Readonly<Record<string, XY>>,
  direction: Direction,
  critical: ReadonlySet<string>,
  selectedId: string | null,
): StepNode[] {
  const old = new Map(prev.map((n) => [n.id, n]));
  const handles = HANDLES[direction];
  let changed = prev.length !== steps.length;
  const next = steps.map((step, i) => {
    const position = positions[step.id] ?? ORIGIN;
    const isCritical = critical.has(step.id);
    const selected = step.id === selectedId;
    const o = old.get(step.id);
    if (o && o.data.step === step && o.data.critical === isCritical && o.position === position && !!o.selected === selected && o.sourcePosition === handles.sourcePosition) {
      if (prev[i] !== o) changed = true;
      return o;
    }
    changed = true;
    const node: StepNode = { id: step.id, type: "step", position, data: { step, critical: isCritical }, selected, ...handles };
    return node;
  });
  return changed ? next : (prev as StepNode[]);
}

const EDGE_STYLE = { stroke: "var(--muted)", strokeWidth: 1.25 };
const CRITICAL_EDGE_STYLE = { stroke: "#f59e0b", strokeWidth: 2.5 };

/** One edge per dependency; animated while the downstream step runs; the critical path stands out. */
export function syncStepEdges(prev: readonly Edge[], steps: readonly StepRow[], criticalEdges: ReadonlySet<string>): Edge[] {
  const old = new Map(prev.map((e) => [e.id, e]));
  const known = new Set(steps.map((s) => s.id));
  let changed = false;
  const next: Edge[] = [];
  for (const s of steps) {
    const animated = s.status === "running";
    for (const d of s.dependsOn) {
      if (!known.has(d)) continue;
      const id = edgeId(d, s.id);
      const critical = criticalEdges.has(id);
      const o = old.get(id);
      if (o && !!o.animated === animated && (o.style === CRITICAL_EDGE_STYLE) === critical) {
        if (prev[next.length] !== o) changed = true;
        next.push(o);
        continue;
      }
      changed = true;
      next.push({ id, source: d, target: s.id, animated, style: critical ? CRITICAL_EDGE_STYLE : EDGE_STYLE, zIndex: critical ? 1 : 0, data: { critical } });
    }
  }
  return changed || next.length !== prev.length ? next : (prev as Edge[]);
}

/** The editor's preview: nodes for the steps a template would run with its default parameters. */
export function previewNodes(graph: readonly PreviewStep[], positions: Readonly<Record<string, XY>>, direction: Direction): PreviewNode[] {
  const handles = HANDLES[direction];
  return graph.map((step) => ({ id: step.id, type: "preview", position: positions[step.id] ?? ORIGIN, data: { step }, ...handles }));
}

export function previewEdges(graph: readonly PreviewStep[]): Edge[] {
  const known = new Set(graph.map((s) => s.id));
  return graph.flatMap((s) => s.dependsOn.filter((d) => known.has(d)).map((d) => ({ id: edgeId(d, s.id), source: d, target: s.id, style: EDGE_STYLE })));
}
