"use client";
import Link from "next/link";
import { memo } from "react";
import type { TaskRow } from "@/lib/client/cache-patches";
import { formatDuration } from "@/lib/client/format";
import { ProgressBar } from "./progress-bar";
import { TaskStatusBadge } from "./status-badge";
import { TimeAgo } from "./time-ago";

/** Column template shared by the header and the rows of a task table (md and wider). */
export const TASK_GRID = "md:grid md:grid-cols-[7rem_minmax(0,1fr)_10rem_5rem_8rem_6rem] md:items-center md:gap-3";

export function TaskTableHeader() {
  return (
    <div className={`hidden px-3 pb-1 text-xs font-medium tracking-wide text-muted uppercase ${TASK_GRID}`}>
      <span>Status</span>
      <span>Task</span>
      <span>Agent</span>
      <span>Attempt</span>
      <span>Progress</span>
      <span className="text-right">Created</span>
    </div>
  );
}

function Progress({ task }: { task: TaskRow }) {
  const active = task.status === "running" || task.status === "assigned";
  if (active && task.progress != null) {
    return (
      <div className="flex items-center gap-2">
        <ProgressBar value={task.progress} className="max-w-40" />
        <span className="tabular-nums">{Math.round(task.progress)}%</span>
      </div>
    );
  }
  if (task.finishedAt && task.startedAt) return <>{formatDuration(task.finishedAt - task.startedAt)}</>;
  return null;
}

/**
 * One task: a table row from md up, a stacked card below (always a card when `compact`).
 * Memoized on the task object, which the cache replaces only when the task changed.
 */
export const TaskListItem = memo(function TaskListItem({ task, compact = false }: { task: TaskRow; compact?: boolean }) {
  const base = "block min-h-11 rounded-md border border-line bg-surface px-3 py-2.5 hover:bg-surface-2";
  const table = `md:rounded-none md:border-x-0 md:border-t-0 md:bg-transparent md:py-2 ${TASK_GRID}`;
  const wide = compact ? "hidden" : "hidden md:block";
  const narrow = compact ? "" : "md:hidden";
  // Off-screen rows skip layout and paint (content-visibility): a live list that grows by
  // hundreds of rows a second re-lays out only what is on screen when a row is prepended.
  return (
    <li className={`[content-visibility:auto] [contain-intrinsic-size:auto_7rem] ${compact ? "" : "md:[contain-intrinsic-size:auto_2.75rem]"}`}>
      <Link href={`/tasks/${task.id}`} data-testid="task-row" data-task-id={task.id} data-status={task.status} className={compact ? base : `${base} ${table}`}>
        <div className={`flex items-center justify-between gap-2 ${compact ? "" : "md:block"}`}>
          <TaskStatusBadge status={task.status} />
          <span className={`text-xs text-muted ${narrow}`}>
            <TimeAgo at={task.createdAt} />
          </span>
        </div>
        <div className={`mt-1.5 min-w-0 ${compact ? "" : "md:mt-0"}`}>
          <div className="truncate font-medium">{task.title}</div>
          <div className="truncate font-mono text-xs text-muted">{task.id}</div>
        </div>
        {!compact && (
          <div className="mt-1 truncate text-sm text-muted md:mt-0">
            <span className="md:hidden">Agent: </span>
            {task.agentName ?? "—"}
          </div>
        )}
        <div className={`flex flex-wrap items-center gap-x-3 text-sm text-muted ${compact ? "mt-1" : "md:block"}`}>
          <span>
            <span className={narrow}>Attempt </span>
            {task.attempt}/{task.maxAttempts}
          </span>
          <span className={`min-w-0 flex-1 text-xs ${narrow}`}>
            <Progress task={task} />
          </span>
        </div>
        <div className={`text-xs text-muted ${wide}`}>
          <Progress task={task} />
        </div>
        <div className={`text-right text-xs text-muted ${wide}`}>
          <TimeAgo at={task.createdAt} />
        </div>
      </Link>
    </li>
  );
});
