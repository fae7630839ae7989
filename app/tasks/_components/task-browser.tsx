"use client";
import Link from "next/link";
import { Suspense, useState } from "react";
import type { TaskFilter } from "@/lib/client/cache-patches";
import { useFilterInUrl } from "@/lib/client/use-filter-in-url";
import { useTaskList } from "@/lib/client/use-tasks";
import { buttonClass } from "@/components/button";
import { ErrorNotice } from "@/components/error-notice";
import { IfCan } from "@/components/if-can";
import { PageHeader } from "@/components/panel";
import { PagedList } from "@/components/paged-list";
import { TaskListItem, TaskTableHeader } from "@/components/task-list-item";
import { TaskFilters } from "./task-filters";

export function TaskBrowser({ initial }: { initial: TaskFilter }) {
  const [filter, setFilter] = useState<TaskFilter>(initial);
  useFilterInUrl({ status: filter.status, agent: filter.agentId, q: filter.search });
  const list = useTaskList(filter);
  const filtered = Boolean(filter.status || filter.agentId || filter.search);

  return (
    <>
      <PageHeader
        title="Tasks"
        subtitle="Newest first; statuses and progress update live."
        actions={
          <IfCan permission="create" reserve>
            <Link href="/tasks/new" className={buttonClass("primary")}>
              Submit a task
            </Link>
          </IfCan>
        }
      />
      {/* Separate hydration boundaries, so hydrating the page is several short tasks, not one long one. */}
      <Suspense>
        <TaskFilters value={filter} onChange={setFilter} />
      </Suspense>
      <ErrorNotice error={list.error} title="Could not load tasks" />
      <Suspense>
        <PagedList
          items={list.tasks}
          query={list}
          noun="tasks"
          empty={filtered ? "No tasks match these filters." : "No tasks yet. Submit one to see it here."}
          header={<TaskTableHeader />}
          renderItem={(t) => <TaskListItem key={t.id} task={t} />}
          testId="task-list"
        />
      </Suspense>
    </>
  );
}
