"use client";
// Applies /dashboard pushes to every cached query they touch. Called by the socket listeners
// in `useFleetSync` and by mutations (whose answers are the same views).
import type { InfiniteData, QueryClient, QueryKey } from "@tanstack/react-query";
import type { AgentView, FleetStats } from "@/lib/views";
import {
  patchAgentDetail,
  patchAgentDetailTasks,
  patchAgentList,
  patchTaskPages,
  type AgentDetail,
  type AgentFilter,
  type TaskFilter,
  type TaskPage,
  type TaskRow,
} from "./cache-patches";
import type { RouterOutputs, useTRPC } from "./trpc";

type Trpc = ReturnType<typeof useTRPC>;
export type TaskDetail = RouterOutputs["tasks"]["get"];

function inputOf<T>(key: QueryKey): T | undefined {
  const meta = key[1] as { input?: T } | undefined;
  return meta?.input;
}

export function applyAgentsPatch(qc: QueryClient, trpc: Trpc, agents: AgentView[]) {
  if (agents.length === 0) return;
  for (const [key, data] of qc.getQueriesData<AgentView[]>({ queryKey: trpc.agents.find.queryKey() })) {
    if (!data) continue;
    const next = patchAgentList(data, agents, inputOf<AgentFilter>(key));
    if (next !== data) qc.setQueryData(key, next);
  }
  const details = qc.getQueriesData<AgentDetail>({ queryKey: trpc.agents.get.queryKey() });
  if (details.length === 0) return;
  const byId = new Map(agents.map((a) => [a.id, a]));
  for (const [key, data] of details) {
    const agent = data && byId.get(data.agent.id);
    if (data && agent) qc.setQueryData(key, patchAgentDetail(data, agent));
  }
}

export function applyTasksPatch(qc: QueryClient, trpc: Trpc, tasks: TaskRow[]) {
  if (tasks.length === 0) return;
  for (const [key, data] of qc.getQueriesData<InfiniteData<TaskPage, unknown>>({ queryKey: trpc.tasks.find.infiniteQueryKey() })) {
    if (!data?.pages) continue;
    const next = patchTaskPages(data, tasks, inputOf<TaskFilter>(key));
    if (next !== data) qc.setQueryData(key, next);
  }
  const byId = new Map(tasks.map((t) => [t.id, t]));
  for (const [key, data] of qc.getQueriesData<TaskDetail>({ queryKey: trpc.tasks.get.queryKey() })) {
    const task = data && byId.get(data.task.id);
    if (!data || !task || task === data.task) continue;
    // A waiting explanation only describes a queued task; the detail hook refreshes it.
    qc.setQueryData(key, { ...data, task, waiting: task.status === "queued" ? data.waiting : null });
  }
  for (const [key, data] of qc.getQueriesData<AgentDetail>({ queryKey: trpc.agents.get.queryKey() })) {
    if (!data) continue;
    const next = patchAgentDetailTasks(data, tasks);
    if (next !== data) qc.setQueryData(key, next);
  }
}

export function applyStats(qc: QueryClient, trpc: Trpc, stats: FleetStats) {
  qc.setQueryData(trpc.fleet.stats.queryKey(), (old) => (old && old.at > stats.at ? old : stats));
}
