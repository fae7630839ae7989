"use client";
// Layout and viewport helpers for the workflow graphs. The layout itself is the pure,
// separately tested `layoutDag`; this only decides when to run it again: when the set of steps
// or their dependencies change, or the direction does — never on a status change.
import { useCallback, useMemo, useSyncExternalStore } from "react";
import { layoutDag } from "@/lib/workflow-layout";
import { NODE_HEIGHT, NODE_WIDTH, structureKey, type Direction, type XY } from "./step-graph";

export function useDagLayout(steps: readonly { id: string; dependsOn: string[] }[], direction: Direction): { key: string; positions: Record<string, XY> } {
  const key = `${direction}|${structureKey(steps)}`;
  return useMemo(
    () => ({ key, positions: layoutDag(steps.map((s) => ({ id: s.id, dependsOn: s.dependsOn })), { nodeWidth: NODE_WIDTH, nodeHeight: NODE_HEIGHT, direction }).positions }),
    // `key` captures everything of `steps` the layout reads.
    [key],
  );
}

/** Whether a media query matches, following changes; true during server rendering. */
export function useMediaQuery(query: string): boolean {
  const subscribe = useCallback(
    (cb: () => void) => {
      const m = window.matchMedia(query);
      m.addEventListener("change", cb);
      return () => m.removeEventListener("change", cb);
    },
    [query],
  );
  return useSyncExternalStore(subscribe, () => window.matchMedia(query).matches, () => true);
}

/** Left to right on wide screens; top to bottom on phones, where the graph has height to spare. */
export function useGraphDirection(): Direction {
  return useMediaQuery("(min-width: 768px)") ? "LR" : "TB";
}
