"use client";
// The editor's live preview: the steps a template expands to with its default parameters.
import "@xyflow/react/dist/style.css";
import "./workflows.css";
import { Background, Controls, ReactFlow, type NodeTypes } from "@xyflow/react";
import { useMemo } from "react";
import { PreviewNodeView } from "./step-node";
import { previewEdges, previewNodes, type Direction, type PreviewStep } from "./step-graph";
import { useDagLayout, useGraphDirection } from "./use-dag-layout";

const nodeTypes: NodeTypes = { preview: PreviewNodeView };
const FIT_VIEW_OPTIONS = { padding: 0.15, maxZoom: 1, minZoom: 0.4 };
const PRO_OPTIONS = { hideAttribution: true };

/** `direction` overrides the screen-based default, e.g. top to bottom in a narrow column. */
export function PreviewGraph({ graph, direction: forced, className = "h-80" }: { graph: PreviewStep[]; direction?: Direction; className?: string }) {
  const screen = useGraphDirection();
  const direction = forced ?? screen;
  const { key, positions } = useDagLayout(graph, direction);
  const nodes = useMemo(() => previewNodes(graph, positions, direction), [graph, positions, direction]);
  const edges = useMemo(() => previewEdges(graph), [graph]);
  return (
    <div className={`w-full ${className}`} data-testid="template-preview" data-steps={graph.length}>
      <ReactFlow
        key={key}
        className="sb-flow"
        colorMode="system"
        nodes={nodes}
        edges={edges}
        nodeTypes={nodeTypes}
        nodesDraggable={false}
        nodesConnectable={false}
        elementsSelectable={false}
        fitView
        fitViewOptions={FIT_VIEW_OPTIONS}
        minZoom={0.1}
        proOptions={PRO_OPTIONS}
      >
        <Background gap={20} size={1} />
        <Controls showInteractive={false} />
      </ReactFlow>
    </div>
  );
}
