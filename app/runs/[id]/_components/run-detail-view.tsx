"use client";
import Link from "next/link";
import { useCallback, useEffect, useState } from "react";
import { isRunFinished, type RunRow } from "@/lib/client/run-patches";
import { useCan } from "@/lib/client/use-can";
import { useCancelRun, useRun } from "@/lib/client/use-runs";
import { formatTimestamp } from "@/lib/client/format";
import { buttonClass } from "@/components/button";
import { ConfirmButton } from "@/components/confirm-button";
import { ErrorNotice } from "@/components/error-notice";
import { Loading, PageHeader, Panel } from "@/components/panel";
import { TimeAgo } from "@/components/time-ago";
import { Elapsed } from "@/components/workflows/elapsed";
import { RunGantt } from "@/components/workflows/run-gantt";
import { RunGraph, type SelectSource } from "@/components/workflows/run-graph";
import { RunProgress, RunStatusBadge, STEP_LABEL, STEP_TONE } from "@/components/workflows/step-status";
import { countStatuses, STEP_STATUSES } from "@/lib/api";
import { StepPanel } from "./step-panel";

/**
 * The selected step lives in the address bar (`?step=`), so a link can open it. Where the
 * selection came from decides how it is kept in sight (see RunGraph and RunGantt).
 */
function useSelectedStep(): { selectedId: string | null; source: SelectSource; select: (id: string | null, source: SelectSource) => void } {
  const [state, setState] = useState<{ id: string | null; source: SelectSource }>({ id: null, source: "address" });
  useEffect(() => {
    setState({ id: new URLSearchParams(window.location.search).get("step"), source: "address" });
  }, []);
  const select = useCallback((id: string | null, source: SelectSource) => {
    setState({ id, source });
    const params = new URLSearchParams(window.location.search);
    if (id) params.set("step", id);
    else params.delete("step");
    const qs = params.toString();
    window.history.replaceState(null, "", qs ? `${window.location.pathname}?${qs}` : window.location.pathname);
  }, []);
  return { selectedId: state.id, source: state.source, select };
}

function CancelRun({ run }: { run: RunRow }) {
  const cancel = useCancelRun();
  const mayOperate = useCan("operate");
  if (!mayOperate || isRunFinished(run.status)) return null;
  return (
    <div className="flex flex-col items-stretch gap-2 sm:items-end">
      <ConfirmButton testId="cancel-run" variant="danger" question="Cancel this run?" confirmLabel="Yes, cancel" pending={cancel.isPending} onConfirm={() => cancel.mutate({ id: run.id })}>
        Cancel run
      </ConfirmButton>
      <ErrorNotice error={cancel.error} title="Could not cancel" />
    </div>
  );
}

function Legend() {
  return (
    <div className="flex flex-wrap items-center gap-x-3 gap-y-1 text-xs text-muted">
      {STEP_STATUSES.map((s) => (
        <span key={s} className="flex items-center gap-1">
          <span aria-hidden className={`size-2 rounded-sm ${STEP_TONE[s].bar}`} />
          {STEP_LABEL[s]}
        </span>
      ))}
      <span className="flex items-center gap-1">
        <span aria-hidden className="h-0.5 w-3 rounded bg-amber-500" />
        critical path
      </span>
    </div>
  );
}

function Params({ params }: { params: RunRow["params"] }) {
  const entries = Object.entries(params);
  if (entries.length === 0) return <span className="text-muted">none</span>;
  return (
    <dl className="flex flex-wrap gap-1.5" data-testid="run-params">
      {entries.map(([k, v]) => (
        <div key={k} className="inline-flex max-w-full items-center rounded border border-line bg-surface-2 font-mono text-xs">
          <dt className="border-r border-line px-1.5 py-0.5 text-muted">{k}</dt>
          <dd className="truncate px-1.5 py-0.5">{String(v)}</dd>
        </div>
      ))}
    </dl>
  );
}

export function RunDetailView({ id }: { id: string }) {
  const { data: run, error, isPending } = useRun(id);
  const { selectedId, source, select } = useSelectedStep();
  const selectFromTimeline = useCallback((id: string) => select(id, "timeline"), [select]);

  if (isPending) return <Loading label="Loading run…" />;
  if (error || !run) {
    return (
      <div className="space-y-4">
        <ErrorNotice error={error ?? "This run was not found."} />
        <Link href="/runs" className={buttonClass("secondary")}>
          Back to runs
        </Link>
      </div>
    );
  }

  const selected = selectedId ? (run.steps.find((s) => s.id === selectedId) ?? null) : null;
  const counts = countStatuses(run.steps.map((s) => s.status));

  return (
    // With a step open, the page makes room for its panel: below it on a phone (so everything can
    // scroll out from under the sheet), beside it from lg up — only as much as the panel reaches
    // into the centred content column.
    <div className={`space-y-4 ${selected ? "pb-[58dvh] lg:pb-0 lg:pr-[max(0px,calc(27.5rem_-_max(0px,(100vw_-_80rem)_/_2)))]" : ""}`} data-testid="run-detail" data-run-id={run.id} data-status={run.status}>
      <PageHeader
        title={
          <span>
            <Link href={`/workflows/${encodeURIComponent(run.templateName)}`} className="hover:underline">
              {run.templateName}
            </Link>
            <span className="text-muted"> @v{run.templateVersion}</span>
          </span>
        }
        subtitle={
          <span className="flex flex-wrap items-center gap-x-3 gap-y-1">
            <RunStatusBadge status={run.status} />
            <span className="font-mono text-xs break-all">{run.id}</span>
            <span>
              by {run.triggeredBy} · <TimeAgo at={run.createdAt} />
            </span>
            <span title={run.finishedAt ? `finished ${formatTimestamp(run.finishedAt)}` : "running"}>
              {run.finishedAt ? "took" : "running for"} <Elapsed from={run.createdAt} to={run.finishedAt} />
            </span>
          </span>
        }
        actions={<CancelRun run={run} />}
      />

      {run.error && (
        <div role="alert" data-testid="run-error" className="rounded-md border border-red-500/40 bg-red-500/10 px-3 py-2 text-sm text-red-700 dark:text-red-300">
          {run.error}
        </div>
      )}

      <div className="grid gap-3 sm:grid-cols-[minmax(0,1fr)_16rem]">
        <div className="min-w-0">
          <div className="mb-1 text-xs text-muted">Parameters</div>
          <Params params={run.params} />
        </div>
        <div>
          <div className="mb-1 text-xs text-muted">
            Steps · {run.failurePolicy} · up to {run.concurrency} at once
          </div>
          <RunProgress counts={counts} total={run.steps.length} />
        </div>
      </div>

      <Panel title="Graph" actions={<Legend />} className="overflow-hidden">
        <div className="-m-4">
          <RunGraph steps={run.steps} finishedAt={run.finishedAt} selectedId={selected ? selectedId : null} onSelect={select} scrollToSelected={source !== "timeline"} />
        </div>
      </Panel>

      <Panel title="Timeline">
        <RunGantt steps={run.steps} selectedId={selectedId} onSelect={selectFromTimeline} revealSelected={source === "timeline"} />
      </Panel>

      {selected && <StepPanel run={run} step={selected} onClose={() => select(null, "graph")} />}
    </div>
  );
}
