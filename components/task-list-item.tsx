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

/**
 * One task: a table row from md up, a stacked card below. Memoized on the task object, which
 * the cache replaces only when the task changed.
 */
export const TaskListItem = memo(function TaskListItem({ task }: { task: TaskRow }) {
  const running = task.status === "running" || task.status === "assigned";
  return (
    <li>
      <Link
        href={`/tasks/${task.id}`}
        data-testid="task-row"
        data-task-id={task.id}
        data-status={task.status}
        className={`block min-h-11 rounded-md border border-line bg-surface px-3 py-2.5 hover:bg-surface-2 md:rounded-none md:border-x-0 md:border-t-0 md:bg-transparent md:py-2 ${TASK_GRID}`}
      >
        <div className="flex items-center justify-between gap-2 md:block">
          <TaskStatusBadge status={task.status} />
          <span className="text-xs text-muted md:hidden">
            <TimeAgo at={task.createdAt} />
          </span>
        </div>
        <div className="mt-1.5 min-w-0 md:mt-0">
          <div className="truncate font-medium">{task.title}</div>
          <div className="truncate font-mono text-xs text-muted">{task.id}</div>
        </div>
        <div className="mt-1 truncate text-sm text-muted md:mt-0">
          <span className="md:hidden">Agent: </span>
          {task.agentName ?? "—"}
        </div>
        <div className="text-sm text-muted">
          <span className="md:hidden">Attempt </span>
          {task.attempt}/{task.maxAttempts}
        </div>
        <div className="mt-1 text-xs text-muted md:mt-0">
          {running && task.progress != null ? (
            <div className="flex items-center gap-2">
              <ProgressBar value={task.progress} className="max-w-40" />
              <span className="tabular-nums">{Math.round(task.progress)}%</span>
            </div>
          ) : task.finishedAt && task.startedAt ? (
            formatDuration(task.finishedAt - task.startedAt)
          ) : null}
        </div>
        <div className="hidden text-right text-xs text-muted md:block">
          <TimeAgo at={task.createdAt} />
        </div>
      </Link>
    </li>
  );
});
