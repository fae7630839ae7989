"use client";
import Link from "next/link";
import { useEffect, useState } from "react";
import type { TaskFilter } from "@/lib/client/cache-patches";
import { useTaskList } from "@/lib/client/use-tasks";
import { Button, buttonClass } from "@/components/button";
import { ErrorNotice } from "@/components/error-notice";
import { Loading, PageHeader } from "@/components/panel";
import { TaskListItem, TaskTableHeader } from "@/components/task-list-item";
import { TaskFilters } from "./task-filters";

/** Keeps the filter in the address bar so a filtered list can be bookmarked or shared. */
function useFilterInUrl(filter: TaskFilter) {
  useEffect(() => {
    const params = new URLSearchParams();
    if (filter.status) params.set("status", filter.status);
    if (filter.agentId) params.set("agent", filter.agentId);
    if (filter.search) params.set("q", filter.search);
    const qs = params.toString();
    const url = qs ? `${window.location.pathname}?${qs}` : window.location.pathname;
    if (url !== window.location.pathname + window.location.search) window.history.replaceState(null, "", url);
  }, [filter.status, filter.agentId, filter.search]);
}

export function TaskBrowser({ initial }: { initial: TaskFilter }) {
  const [filter, setFilter] = useState<TaskFilter>(initial);
  useFilterInUrl(filter);
  const { tasks, error, isPending, isPlaceholderData, hasNextPage, fetchNextPage, isFetchingNextPage } = useTaskList(filter);
  const filtered = Boolean(filter.status || filter.agentId || filter.search);

  return (
    <>
      <PageHeader
        title="Tasks"
        subtitle="Newest first; statuses and progress update live."
        actions={
          <Link href="/tasks/new" className={buttonClass("primary")}>
            Submit a task
          </Link>
        }
      />
      <TaskFilters value={filter} onChange={setFilter} />
      <ErrorNotice error={error} title="Could not load tasks" />
      {isPending ? (
        <Loading label="Loading tasks…" />
      ) : tasks.length === 0 ? (
        <p className="py-10 text-center text-sm text-muted" data-testid="tasks-empty">
          {filtered ? "No tasks match these filters." : "No tasks yet. Submit one to see it here."}
        </p>
      ) : (
        <div className={`transition-opacity ${isPlaceholderData ? "opacity-60" : ""}`}>
          <TaskTableHeader />
          <ul className="space-y-2 md:space-y-0 md:rounded-lg md:border md:border-line md:bg-surface" data-testid="task-list">
            {tasks.map((t) => (
              <TaskListItem key={t.id} task={t} />
            ))}
          </ul>
          <div className="mt-4 flex justify-center">
            {hasNextPage ? (
              <Button onClick={() => void fetchNextPage()} disabled={isFetchingNextPage} data-testid="load-more">
                {isFetchingNextPage ? "Loading…" : "Load more"}
              </Button>
            ) : (
              <span className="text-xs text-muted">{tasks.length} shown · end of list</span>
            )}
          </div>
        </div>
      )}
    </>
  );
}
