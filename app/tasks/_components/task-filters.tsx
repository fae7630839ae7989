"use client";
import { TASK_STATUSES, type TaskStatus } from "@/lib/api";
import type { TaskFilter } from "@/lib/client/cache-patches";
import { useAgentList } from "@/lib/client/use-agents";
import { ListFilters } from "@/components/list-filters";

const STATUSES: readonly TaskStatus[] = TASK_STATUSES;

export function TaskFilters({ value, onChange }: { value: TaskFilter; onChange: (f: TaskFilter) => void }) {
  const { data: agents } = useAgentList();
  return (
    <ListFilters
      value={{ status: value.status, scope: value.agentId, search: value.search }}
      onChange={(f) => onChange({ ...value, status: f.status as TaskStatus | undefined, agentId: f.scope, search: f.search })}
      statuses={STATUSES}
      scope={{ name: "agent", label: "Agent", all: "All agents", options: (agents ?? []).map((a) => ({ value: a.id, label: a.name })) }}
      searchLabel="Search tasks"
      searchPlaceholder="Search title, command or id"
      testPrefix="task-filter"
    />
  );
}
