"use client";
import Link from "next/link";
import { memo } from "react";
import type { RunSummary } from "@/lib/api";
import { TimeAgo } from "@/components/time-ago";
import { Elapsed } from "@/components/workflows/elapsed";
import { RunProgress, RunStatusBadge } from "@/components/workflows/step-status";

/** Column template shared by the header and the rows (md and wider). */
export const RUN_GRID = "md:grid md:grid-cols-[7rem_minmax(0,1fr)_8rem_6rem_6rem_10rem] md:items-center md:gap-3";

export function RunTableHeader() {
  return (
    <div className={`hidden px-3 pb-1 text-xs font-medium tracking-wide text-muted uppercase ${RUN_GRID}`}>
      <span>Status</span>
      <span>Workflow</span>
      <span>Trigger</span>
      <span>Started</span>
      <span>Duration</span>
      <span>Steps</span>
    </div>
  );
}

/** One run: a table row from md up, a card below. Memoized on the summary object, which live patches replace only when it changed. */
export const RunListItem = memo(function RunListItem({ run }: { run: RunSummary }) {
  return (
    <li>
      <Link
        href={`/runs/${run.id}`}
        data-testid="run-row"
        data-run-id={run.id}
        data-status={run.status}
        className={`block min-h-11 rounded-md border border-line bg-surface px-3 py-2.5 hover:bg-surface-2 md:rounded-none md:border-x-0 md:border-t-0 md:bg-transparent md:py-2 ${RUN_GRID}`}
      >
        <div className="flex items-center justify-between gap-2 md:block">
          <RunStatusBadge status={run.status} testId="run-row-status" />
          <span className="text-xs text-muted md:hidden">
            <TimeAgo at={run.createdAt} /> · <Elapsed from={run.createdAt} to={run.finishedAt} />
          </span>
        </div>
        <div className="mt-1.5 min-w-0 md:mt-0">
          <div className="truncate font-medium">
            {run.templateName}
            <span className="font-normal text-muted">@v{run.templateVersion}</span>
          </div>
          <div className="truncate font-mono text-xs text-muted">{run.id}</div>
        </div>
        <div className="mt-1 truncate text-sm text-muted md:mt-0">
          <span className="md:hidden">by </span>
          {run.triggeredBy}
        </div>
        <div className="hidden text-xs text-muted md:block">
          <TimeAgo at={run.createdAt} />
        </div>
        <div className="hidden text-xs text-muted md:block">
          <Elapsed from={run.createdAt} to={run.finishedAt} />
        </div>
        <RunProgress counts={run.counts} total={run.total} className="mt-2 md:mt-0" />
      </Link>
    </li>
  );
});
