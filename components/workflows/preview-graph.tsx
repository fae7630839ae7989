"use client";
// The steps a template expands to with its default parameters: on the template page and beside
// the editor. The graph reads at a legible zoom (graph-viewport.ts): it runs left to right
// unless top to bottom fits its box clearly better, and the box is as tall as the graph needs.
import "@xyflow/react/dist/style.css";
import "./workflows.css";
import { Background, Controls, ReactFlow, type NodeTypes, type ReactFlowInstance } from "@xyflow/react";
import { useCallback, useMemo, useRef } from "react";
import { useElementWidth } from "@/lib/client/use-element-size";
import { graphBoxHeight, openingViewport, pickDirection } from "./graph-viewport";
import { PreviewNodeView } from "./step-node";
import { previewEdges, previewNodes, type Direction, type PreviewNode, type PreviewStep } from "./step-graph";
import { useDagLayouts, useGraphDirection } from "./use-dag-layout";

const nodeTypes: NodeTypes = { preview: PreviewNodeView };
const PRO_OPTIONS = { hideAttribution: true };

/** `direction` overrides the choice, e.g. top to bottom in a narrow column; `bounds` are the box's height limits in px. */
export function PreviewGraph({ graph, direction: forced, bounds = { min: 200, max: 520 } }: { graph: PreviewStep[]; direction?: Direction; bounds?: { min: number; max: number } }) {
  const preferred = useGraphDirection();
  const layouts = useDagLayouts(graph);
  const box = useRef<HTMLDivElement>(null);
  const width = useElementWidth(box);
  const direction = forced ?? (width ? pickDirection({ LR: layouts.LR.size, TB: layouts.TB.size }, width, bounds.max, preferred) : preferred);
  const { key, positions, size } = layouts[direction];
  const height = graphBoxHeight(size, width || 1000, bounds);
  const nodes = useMemo(() => previewNodes(graph, positions, direction), [graph, positions, direction]);
  const edges = useMemo(() => previewEdges(graph), [graph]);

  const opening = useRef({ size, width, height, direction });
  opening.current = { size, width, height, direction };
  const onInit = useCallback((rf: ReactFlowInstance<PreviewNode>) => {
    const o = opening.current;
    void rf.setViewport(openingViewport(o.size, { width: o.width, height: o.height }, o.direction));
  }, []);

  return (
    <div ref={box} className="w-full" style={{ height }} data-testid="template-preview" data-steps={graph.length} data-direction={direction}>
      {width > 0 && (
        <ReactFlow
          // A new shape or direction opens afresh (and calls onInit again).
          key={`${key}|${Math.round(width / 80)}`}
          className="sb-flow"
          colorMode="system"
          nodes={nodes}
          edges={edges}
          nodeTypes={nodeTypes}
          onInit={onInit}
          nodesDraggable={false}
          nodesConnectable={false}
          nodesFocusable={false}
          edgesFocusable={false}
          elementsSelectable={false}
          minZoom={0.1}
          proOptions={PRO_OPTIONS}
          aria-label="Steps of the template"
        >
          <Background gap={20} size={1} />
          <Controls showInteractive={false} />
        </ReactFlow>
      )}
    </div>
  );
}
