"use client";
// Agent queries. Lists and details are fetched once and then kept current by `useFleetSync`.
import { useMemo } from "react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { AgentStatus, AgentView } from "@/lib/api";
import { applyAgentsPatch, applyAgentsRemoved } from "./live-cache";
import { useTRPC } from "./trpc";

/** Every agent, sorted by name (filtering happens in the browser: 500 agents is cheap). */
export function useAgentList(opts: { enabled?: boolean } = {}) {
  const trpc = useTRPC();
  return useQuery({ ...trpc.agents.find.queryOptions({}), enabled: opts.enabled ?? true });
}

/** One agent with its current and recent tasks and an hour of resource samples. */
export function useAgentDetail(id: string) {
  const trpc = useTRPC();
  return useQuery(trpc.agents.get.queryOptions({ id }));
}

/** Drains an agent (it finishes what it holds, takes nothing new) or resumes it. */
export function useDrainAgent() {
  const trpc = useTRPC();
  const qc = useQueryClient();
  return useMutation(trpc.agents.drain.mutationOptions({ onSuccess: (agent) => applyAgentsPatch(qc, trpc, [agent]) }));
}

/**
 * Forgets an offline agent that holds no work. `onForgotten` runs from the mutation itself, not
 * the component, because the `agents:removed` push can arrive first and unmount the page's button.
 */
export function useForgetAgent(onForgotten?: () => void) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  return useMutation(
    trpc.agents.forget.mutationOptions({
      onSuccess: (_agent, { id }) => {
        onForgotten?.();
        applyAgentsRemoved(qc, trpc, [id]);
      },
    }),
  );
}

export const AGENT_STATUSES: readonly AgentStatus[] = ["online", "busy", "draining", "offline"];

export interface AgentGridFilter {
  status: AgentStatus | "all";
  text: string;
}

/** The agents a grid filter selects, and how many agents each status has. */
export function useFilteredAgents(agents: AgentView[] | undefined, filter: AgentGridFilter) {
  const counts = useMemo(() => {
    const c: Record<AgentStatus | "all", number> = { all: 0, online: 0, busy: 0, draining: 0, offline: 0 };
    for (const a of agents ?? []) {
      c.all++;
      c[a.status]++;
    }
    return c;
  }, [agents]);
  const visible = useMemo(() => {
    const text = filter.text.trim().toLowerCase();
    return (agents ?? []).filter((a) => (filter.status === "all" || a.status === filter.status) && (!text || a.name.toLowerCase().includes(text)));
  }, [agents, filter.status, filter.text]);
  return { visible, counts };
}
