"use client";
import { useEffect, useState } from "react";
import type { TaskStatus } from "@/lib/protocol";
import type { TaskFilter } from "@/lib/client/cache-patches";
import { useAgentList } from "@/lib/client/use-agents";
import { inputClass } from "@/components/field";

const STATUSES: TaskStatus[] = ["queued", "assigned", "running", "succeeded", "failed", "canceled", "dead"];
const SEARCH_DEBOUNCE_MS = 300;

export function TaskFilters({ value, onChange }: { value: TaskFilter; onChange: (f: TaskFilter) => void }) {
  const { data: agents } = useAgentList();
  const [search, setSearch] = useState(value.search ?? "");

  // Query once typing pauses, not on every key.
  useEffect(() => {
    const next = search.trim() || undefined;
    if (next === value.search) return;
    const t = setTimeout(() => onChange({ ...value, search: next }), SEARCH_DEBOUNCE_MS);
    return () => clearTimeout(t);
  }, [search, value, onChange]);

  return (
    <div className="mb-3 grid grid-cols-2 gap-2 md:grid-cols-[10rem_14rem_minmax(0,1fr)]">
      <select
        aria-label="Status"
        data-testid="task-filter-status"
        value={value.status ?? ""}
        onChange={(e) => onChange({ ...value, status: (e.target.value || undefined) as TaskStatus | undefined })}
        className={inputClass}
      >
        <option value="">All statuses</option>
        {STATUSES.map((s) => (
          <option key={s} value={s}>
            {s}
          </option>
        ))}
      </select>
      <select
        aria-label="Agent"
        data-testid="task-filter-agent"
        value={value.agentId ?? ""}
        onChange={(e) => onChange({ ...value, agentId: e.target.value || undefined })}
        className={inputClass}
      >
        <option value="">All agents</option>
        {value.agentId && !agents?.some((a) => a.id === value.agentId) && <option value={value.agentId}>{value.agentId}</option>}
        {agents?.map((a) => (
          <option key={a.id} value={a.id}>
            {a.name}
          </option>
        ))}
      </select>
      <input
        type="search"
        aria-label="Search tasks"
        placeholder="Search title, command or id"
        data-testid="task-filter-search"
        value={search}
        onChange={(e) => setSearch(e.target.value)}
        className={`${inputClass} col-span-2 md:col-span-1`}
      />
    </div>
  );
}
