"use client";
// The run's DAG in React Flow: layered layout, nodes coloured live by status, edges animated
// into running steps, the critical path in amber. Nodes and edges are patched by id on every
// push (`syncStepNodes`), and the layout only reruns when the set of steps changes.
import "@xyflow/react/dist/style.css";
import "./workflows.css";
import { Background, Controls, ReactFlow, type Edge, type NodeMouseHandler, type NodeTypes } from "@xyflow/react";
import { useCallback, useMemo, useRef } from "react";
import { useNowText } from "@/lib/client/use-now";
import { criticalEdges, criticalPath } from "./critical-path";
import type { StepRow } from "./run-patches";
import { syncStepEdges, syncStepNodes, type StepNode } from "./step-graph";
import { StepNodeView } from "./step-node";
import { useDagLayout, useGraphDirection } from "./use-dag-layout";

// Module level: a new object each render would make React Flow remount every node.
const nodeTypes: NodeTypes = { step: StepNodeView };
// A big fan-out fitted whole would be specks: stop zooming out where titles can still be read,
// centred on the graph; the rest is a pan or a zoom away.
const FIT_VIEW_OPTIONS = { padding: 0.15, maxZoom: 1.1, minZoom: 0.4 };
const PRO_OPTIONS = { hideAttribution: true };
/** The critical path of a running run is recomputed at most this often. */
const CRITICAL_REFRESH_MS = 2000;

export function RunGraph({ steps, finishedAt, selectedId, onSelect }: { steps: StepRow[]; finishedAt: number | null; selectedId: string | null; onSelect: (id: string | null) => void }) {
  const direction = useGraphDirection();
  const { key, positions } = useDagLayout(steps, direction);
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

  const onNodeClick = useCallback<NodeMouseHandler>((_, node) => onSelect(node.id), [onSelect]);
  const onPaneClick = useCallback(() => onSelect(null), [onSelect]);

  return (
    <div className="h-[26rem] w-full md:h-[32rem]" data-testid="run-graph" data-critical-path={path.join(",")}>
      <ReactFlow
        // A new shape (a different set of steps, or the phone/desktop direction) fits the view again.
        key={key}
        className="sb-flow"
        colorMode="system"
        nodes={nodes}
        edges={edges}
        nodeTypes={nodeTypes}
        onNodeClick={onNodeClick}
        onPaneClick={onPaneClick}
        nodesDraggable={false}
        nodesConnectable={false}
        elementsSelectable={false}
        fitView
        fitViewOptions={FIT_VIEW_OPTIONS}
        minZoom={0.1}
        maxZoom={2}
        proOptions={PRO_OPTIONS}
      >
        <Background gap={20} size={1} />
        <Controls showInteractive={false} />
      </ReactFlow>
    </div>
  );
}
