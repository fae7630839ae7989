"use client";
// The run's DAG in React Flow: layered layout, nodes coloured live by status, edges animated
// into running steps, the critical path in amber. Nodes and edges are patched by id on every
// push (`syncStepNodes`), and the layout only reruns when the set of steps changes.
//
// The box is as tall as the graph needs (within bounds) and the graph opens at a legible zoom
// (graph-viewport.ts). A selected step is kept in sight: when the step panel (a side panel or a
// bottom sheet, marked `data-overlay`) or the sticky bar would cover it, the graph pans — and,
// when the selection came from the graph or the address, the page scrolls — so it shows.
import "@xyflow/react/dist/style.css";
import "./workflows.css";
import { Background, Controls, ReactFlow, type Edge, type NodeMouseHandler, type NodeTypes, type ReactFlowInstance } from "@xyflow/react";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { useElementWidth } from "@/lib/client/use-element-size";
import { useNowText } from "@/lib/client/use-now";
import { criticalEdges, criticalPath } from "./critical-path";
import { graphBoxHeight, openingViewport, revealViewport } from "./graph-viewport";
import type { StepRow } from "@/lib/client/run-patches";
import { NODE_HEIGHT, NODE_WIDTH, syncStepEdges, syncStepNodes, type StepNode } from "./step-graph";
import { StepNodeView } from "./step-node";
import { useDagLayout, useGraphDirection } from "./use-dag-layout";
import { visibleArea } from "./visible-area";

// Module level: a new object each render would make React Flow remount every node.
const nodeTypes: NodeTypes = { step: StepNodeView };
const PRO_OPTIONS = { hideAttribution: true };
/** The critical path of a running run is recomputed at most this often. */
const CRITICAL_REFRESH_MS = 2000;
const BOUNDS = { LR: { min: 220, max: 560 }, TB: { min: 300, max: 600 } } as const;

export type SelectSource = "graph" | "timeline" | "address";

export function RunGraph({
  steps,
  finishedAt,
  selectedId,
  onSelect,
  scrollToSelected = false,
}: {
  steps: StepRow[];
  finishedAt: number | null;
  selectedId: string | null;
  onSelect: (id: string | null, source: SelectSource) => void;
  /** Scroll the page as well when the selected node is out of sight (not only pan the graph). */
  scrollToSelected?: boolean;
}) {
  const direction = useGraphDirection();
  const { key, positions, size } = useDagLayout(steps, direction);
  // A finished run's path is fixed; a running one's moves with the clock, in coarse steps, and
  // the graph re-renders only when a step is crossed.
  const tick = useCallback((now: number) => String(finishedAt ?? Math.floor(now / CRITICAL_REFRESH_MS) * CRITICAL_REFRESH_MS), [finishedAt]);
  const asOf = Number(useNowText(tick));
  const path = useMemo(() => criticalPath(steps, asOf), [steps, asOf]);
  const critical = useMemo(() => ({ nodes: new Set(path), edges: criticalEdges(path) }), [path]);

  const prevNodes = useRef<StepNode[]>([]);
  const nodes = useMemo(() => (prevNodes.current = syncStepNodes(prevNodes.current, steps, positions, direction, critical.nodes, selectedId)), [steps, positions, direction, critical, selectedId]);
  const prevEdges = useRef<Edge[]>([]);
  const edges = useMemo(() => (prevEdges.current = syncStepEdges(prevEdges.current, steps, critical.edges)), [steps, critical]);

  const onNodeClick = useCallback<NodeMouseHandler>((_, node) => onSelect(node.id, "graph"), [onSelect]);
  const onPaneClick = useCallback(() => onSelect(null, "graph"), [onSelect]);

  const box = useRef<HTMLDivElement>(null);
  const width = useElementWidth(box);
  const height = graphBoxHeight(size, width || 1000, BOUNDS[direction]);
  const [flow, setFlow] = useState<ReactFlowInstance<StepNode> | null>(null);
  // onInit runs once per mount (a new shape remounts): open on the start of the graph.
  const opening = useRef({ size, width, height, direction });
  opening.current = { size, width, height, direction };
  const onInit = useCallback((rf: ReactFlowInstance<StepNode>) => {
    const o = opening.current;
    void rf.setViewport(openingViewport(o.size, { width: o.width, height: o.height }, o.direction));
    setFlow(rf);
  }, []);

  // Keep the selected node in sight when it changes and when the box is resized (the side panel
  // opening makes the graph narrower).
  const selectedPos = selectedId ? positions[selectedId] : undefined;
  useEffect(() => {
    if (!flow || !selectedPos) return;
    const frame = requestAnimationFrame(() => {
      const el = box.current;
      if (!el) return;
      const vp = flow.getViewport();
      const nodeScreenHeight = NODE_HEIGHT * vp.zoom;
      // A sliver of graph above a sheet is no view: scroll the page until a good part of it shows.
      const area = visibleArea(el, { scrollIfSmallerThan: scrollToSelected ? Math.min(el.clientHeight, Math.max(nodeScreenHeight + 48, 260)) : 0 });
      // Nothing of the graph on screen (the selection came from the timeline below): pan within the
      // whole box, so the node is there once the reader scrolls up.
      const visible = area.width < 48 || area.height < nodeScreenHeight ? { x: 0, y: 0, width: el.clientWidth, height: el.clientHeight } : area;
      const next = revealViewport(vp, { ...selectedPos, width: NODE_WIDTH, height: NODE_HEIGHT }, visible);
      if (next) void flow.setViewport(next, { duration: 250 });
    });
    return () => cancelAnimationFrame(frame);
  }, [flow, selectedPos, width, height, scrollToSelected]);

  return (
    <div ref={box} className="w-full" style={{ height }} data-testid="run-graph" data-critical-path={path.join(",")} data-direction={direction}>
      {width > 0 && (
        <ReactFlow
          // A new shape (a different set of steps, or the phone/desktop direction) opens afresh.
          key={key}
          className="sb-flow"
          colorMode="system"
          nodes={nodes}
          edges={edges}
          nodeTypes={nodeTypes}
          onNodeClick={onNodeClick}
          onPaneClick={onPaneClick}
          onInit={onInit}
          nodesDraggable={false}
          nodesConnectable={false}
          nodesFocusable={false}
          edgesFocusable={false}
          elementsSelectable={false}
          minZoom={0.1}
          maxZoom={2}
          proOptions={PRO_OPTIONS}
          aria-label="Steps of the run"
        >
          <Background gap={20} size={1} />
          <Controls showInteractive={false} />
        </ReactFlow>
      )}
    </div>
  );
}
