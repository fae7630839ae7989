"use client";
import { useState } from "react";
import { TASK_STATUSES, type TaskStatus } from "@/lib/api/enums";
import type { TaskFilter } from "@/lib/client/cache-patches";
import { useAgentList } from "@/lib/client/use-agents";
import { ListFilters } from "@/components/list-filters";

const STATUSES: readonly TaskStatus[] = TASK_STATUSES;

export function TaskFilters({ value, onChange }: { value: TaskFilter; onChange: (f: TaskFilter) => void }) {
  // The agent selector's options are the whole fleet (1,000 agents with their samples is a
  // megabyte of JSON to parse on a phone): fetched when the selector is reached or an agent is
  // already chosen, not with the page. The list's own rows carry the agent names they show.
  const [wanted, setWanted] = useState(Boolean(value.agentId));
  const { data: agents } = useAgentList({ enabled: wanted || Boolean(value.agentId) });
  return (
    <ListFilters
      value={{ status: value.status, scope: value.agentId, search: value.search }}
      onChange={(f) => onChange({ ...value, status: f.status as TaskStatus | undefined, agentId: f.scope, search: f.search })}
      statuses={STATUSES}
      scope={{ name: "agent", label: "Agent", all: "All agents", options: (agents ?? []).map((a) => ({ value: a.id, label: a.name })), onReach: () => setWanted(true) }}
      searchLabel="Search tasks"
      searchPlaceholder="Search title, command or id"
      testPrefix="task-filter"
    />
  );
}
