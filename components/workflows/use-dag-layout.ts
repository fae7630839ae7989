"use client";
// Layout and viewport helpers for the workflow graphs. The layout itself is the pure,
// separately tested `layoutDag`; this only decides when to run it again: when the set of steps
// or their dependencies change, or the direction does — never on a status change.
import { useMemo } from "react";
import { useMediaQuery } from "@/lib/client/use-media-query";
import { layoutDag } from "@/lib/workflow-layout";
import type { Size } from "./graph-viewport";
import { NODE_HEIGHT, NODE_WIDTH, structureKey, type Direction, type XY } from "./step-graph";

export interface DagLayoutResult {
  key: string;
  positions: Record<string, XY>;
  size: Size;
}

function layout(steps: readonly { id: string; dependsOn: string[] }[], direction: Direction): Omit<DagLayoutResult, "key"> {
  const r = layoutDag(
    steps.map((s) => ({ id: s.id, dependsOn: s.dependsOn })),
    { nodeWidth: NODE_WIDTH, nodeHeight: NODE_HEIGHT, direction },
  );
  return { positions: r.positions, size: { width: r.width, height: r.height } };
}

export function useDagLayout(steps: readonly { id: string; dependsOn: string[] }[], direction: Direction): DagLayoutResult {
  const key = `${direction}|${structureKey(steps)}`;
  // `key` captures everything of `steps` the layout reads.
  return useMemo(() => ({ key, ...layout(steps, direction) }), [key]);
}

/** Both directions' layouts, for a graph that picks the one that reads better in its box. */
export function useDagLayouts(steps: readonly { id: string; dependsOn: string[] }[]): Record<Direction, DagLayoutResult> {
  const shape = structureKey(steps);
  return useMemo(() => ({ LR: { key: `LR|${shape}`, ...layout(steps, "LR") }, TB: { key: `TB|${shape}`, ...layout(steps, "TB") } }), [shape]);
}

/** Left to right on wide screens; top to bottom on phones, where the graph has height to spare. */
export function useGraphDirection(): Direction {
  return useMediaQuery("(min-width: 768px)") ? "LR" : "TB";
}
