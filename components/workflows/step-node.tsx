"use client";
// The run graph's node: one step, coloured by status. Memoized on its data object, which
// `syncStepNodes` replaces only when the step changed.
import { Handle, type NodeProps } from "@xyflow/react";
import { memo, useCallback } from "react";
import { formatDuration } from "@/lib/client/format";
import { useNowText } from "@/lib/client/use-now";
import type { StepDef } from "@/lib/workflow";
import { stepDuration } from "./critical-path";
import { copyIndex, titleText } from "./placeholders";
import { StepTitle } from "./step-title";
import { STEP_LABEL, STEP_TONE } from "./step-status";
import { NODE_HEIGHT, NODE_WIDTH, type PreviewNode, type StepNode } from "./step-graph";

// Glyphs every system font has (no emoji: headless and minimal systems show boxes).
export const TYPE_ICON: Record<StepDef["type"], string> = { task: "▸", check: "✓", approval: "◆" };
const TYPE_NAME: Record<StepDef["type"], string> = { task: "task", check: "check", approval: "approval" };

function Ticking({ from }: { from: number }) {
  const format = useCallback((now: number) => formatDuration(now - from), [from]);
  return <>{useNowText(format)}</>;
}

const handleClass = "!size-1.5 !min-w-0 !border-0 !bg-transparent";

/**
 * A step. The whole node is one button (React Flow's own node focus is off), so a keyboard
 * reaches every step with Tab and opens it with Enter, as a click does.
 */
export const StepNodeView = memo(function StepNodeView({ data, selected, sourcePosition, targetPosition }: NodeProps<StepNode>) {
  const { step, critical } = data;
  const tone = STEP_TONE[step.status];
  const ring = selected ? "ring-[3px] ring-accent" : critical ? "ring-2 ring-amber-400/80" : "";
  const known = { index: copyIndex(step) };
  const title = titleText(step.title, known);
  return (
    <div
      data-testid="run-node"
      data-step-id={step.id}
      data-status={step.status}
      data-critical={critical || undefined}
      data-selected={selected || undefined}
      title={`${title} — ${STEP_LABEL[step.status]}`}
      style={{ width: NODE_WIDTH, height: NODE_HEIGHT }}
      className={`relative flex cursor-pointer flex-col justify-center gap-1 rounded-lg border-2 bg-surface px-3 text-left shadow-sm ${tone.node} ${ring}`}
    >
      <Handle type="target" position={targetPosition!} isConnectable={false} className={handleClass} />
      <div className="flex min-w-0 items-start gap-1.5">
        <span aria-hidden className="shrink-0 pt-px text-sm leading-tight text-muted">
          {TYPE_ICON[step.type]}
        </span>
        <span data-node-title className="line-clamp-2 min-w-0 text-sm leading-tight font-medium break-words">
          <StepTitle title={step.title} known={known} />
        </span>
      </div>
      <div className="flex min-w-0 items-center gap-2 text-xs text-muted">
        <span className="shrink-0 font-medium">{STEP_LABEL[step.status]}</span>
        <span className="shrink-0 tabular-nums">
          {step.startedAt == null ? "" : step.finishedAt == null && step.status !== "canceled" ? <Ticking from={step.startedAt} /> : formatDuration(stepDuration(step, step.finishedAt ?? step.startedAt))}
        </span>
        {step.agentName && <span className="ml-auto min-w-0 truncate">{step.agentName}</span>}
      </div>
      <button
        type="button"
        data-testid="run-node-open"
        aria-label={`${TYPE_NAME[step.type]} step ${title}: ${STEP_LABEL[step.status]}${critical ? ", on the critical path" : ""}`}
        aria-current={selected ? "true" : undefined}
        className="absolute inset-0 cursor-pointer rounded-md focus-visible:outline-offset-4"
      />
      <Handle type="source" position={sourcePosition!} isConnectable={false} className={handleClass} />
    </div>
  );
});

const PREVIEW_TONE: Record<StepDef["type"], string> = {
  task: "border-line",
  check: "border-violet-400",
  approval: "border-amber-400",
};

/** The editor preview's node: a step as the template would expand it, without a status. */
export const PreviewNodeView = memo(function PreviewNodeView({ data, sourcePosition, targetPosition }: NodeProps<PreviewNode>) {
  const { step } = data;
  return (
    <div data-testid="preview-node" data-step-id={step.id} title={titleText(step.title)} style={{ width: NODE_WIDTH, height: NODE_HEIGHT }} className={`flex flex-col justify-center gap-1 rounded-lg border-2 bg-surface px-3 shadow-sm ${PREVIEW_TONE[step.type]}`}>
      <Handle type="target" position={targetPosition!} isConnectable={false} className={handleClass} />
      <div className="flex min-w-0 items-start gap-1.5">
        <span aria-hidden className="shrink-0 pt-px text-sm leading-tight text-muted">
          {TYPE_ICON[step.type]}
        </span>
        <span data-node-title className="line-clamp-2 min-w-0 text-sm leading-tight font-medium break-words">
          <StepTitle title={step.title} />
        </span>
      </div>
      <div className="truncate font-mono text-xs text-muted">
        {step.id} · {TYPE_NAME[step.type]}
      </div>
      <Handle type="source" position={sourcePosition!} isConnectable={false} className={handleClass} />
    </div>
  );
});
