"use client";
// Applies /dashboard pushes to every cached query they touch. Called by the socket listeners
// in `useFleetSync` and by mutations (whose answers are the same views).
import type { InfiniteData, QueryClient, QueryKey } from "@tanstack/react-query";
import type { AgentView, FleetStats, IncidentView, RunSummary } from "@/lib/api";
// Not from the `@/lib/api` index, which would put every schema of the API into every page's bundle.
import { countStatuses } from "@/lib/api/workflows";
import { mergeRun, patchRunPages, runBehind, type RunFilter, type RunPage, type RunRow } from "./run-patches";
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
import { patchDeadLetterPages, type DeadLetterPage } from "./dead-letter-patches";
import { bumpIncidentCounts, prependIncidents, type IncidentCounts, type IncidentPage } from "./incident-patches";
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

/**
 * Forgotten agents leave every agent list at once. An open agent page fetches again and says
 * the agent is gone; a cached one nobody shows is dropped.
 */
export function applyAgentsRemoved(qc: QueryClient, trpc: Trpc, ids: string[]) {
  if (ids.length === 0) return;
  const gone = new Set(ids);
  for (const [key, data] of qc.getQueriesData<AgentView[]>({ queryKey: trpc.agents.find.queryKey() })) {
    if (data?.some((a) => gone.has(a.id))) qc.setQueryData(key, data.filter((a) => !gone.has(a.id)));
  }
  for (const id of gone) {
    const queryKey = trpc.agents.get.queryKey({ id });
    qc.removeQueries({ queryKey, exact: true, type: "inactive" });
    void qc.invalidateQueries({ queryKey, exact: true });
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
  // Dead letters: a requeued task leaves at once; a new death is fetched (with its attempts).
  for (const [key, data] of qc.getQueriesData<InfiniteData<DeadLetterPage, unknown>>({ queryKey: trpc.tasks.deadLetters.infiniteQueryKey() })) {
    if (!data?.pages) continue;
    const { data: next, refetch } = patchDeadLetterPages(data, tasks);
    if (next !== data) qc.setQueryData(key, next);
    if (refetch) void qc.invalidateQueries({ queryKey: key, exact: true });
  }
}

export function applyStats(qc: QueryClient, trpc: Trpc, stats: FleetStats) {
  qc.setQueryData(trpc.fleet.stats.queryKey(), (old) => (old && old.at > stats.at ? old : stats));
}

// ---- Incidents ----

/** Pushes kept this long are merged into fetch answers that may have been read before them. */
const RECENT_INCIDENT_MS = 30_000;
let recentIncidents: { receivedAt: number; incident: IncidentView }[] = [];
let localIncidentId = 0;
let countsReconcile: ReturnType<typeof setTimeout> | undefined;
/** Local bumps cannot see incidents age out of a window; a refetch this long after a push can. */
const COUNTS_RECONCILE_MS = 5_000;

/** Pushed incidents received in the last half minute, for `useIncidents` to merge after a fetch. */
export function recentIncidentPushes(now = Date.now()): IncidentView[] {
  recentIncidents = recentIncidents.filter((r) => r.receivedAt > now - RECENT_INCIDENT_MS);
  return recentIncidents.map((r) => r.incident);
}

/**
 * `incidents:new`: prepend to every cached timeline (by its kind filter) and bump every cached
 * count at once; the counts are refetched a few seconds later (at most that often) to correct them.
 */
export function applyIncidents(qc: QueryClient, trpc: Trpc, pushed: IncidentView[]) {
  if (pushed.length === 0) return;
  // Pushes carry id 0 (they are not read back from the store): give them local ids (negative,
  // never a stored id) so timeline rows keep stable keys.
  const incidents = pushed.map((i) => (i.id ? i : { ...i, id: --localIncidentId }));
  const now = Date.now();
  recentIncidents.push(...incidents.map((incident) => ({ receivedAt: now, incident })));
  recentIncidentPushes(now);
  for (const [key, data] of qc.getQueriesData<InfiniteData<IncidentPage, unknown>>({ queryKey: trpc.incidents.find.infiniteQueryKey() })) {
    if (!data?.pages) continue;
    const next = prependIncidents(data, incidents, inputOf<{ kind?: IncidentView["kind"] }>(key)?.kind);
    if (next !== data) qc.setQueryData(key, next);
  }
  const counts = qc.getQueriesData<IncidentCounts>({ queryKey: trpc.incidents.counts.queryKey() });
  for (const [key, data] of counts) if (data) qc.setQueryData(key, bumpIncidentCounts(data, incidents));
  if (counts.length > 0 && !countsReconcile) {
    countsReconcile = setTimeout(() => {
      countsReconcile = undefined;
      void qc.invalidateQueries({ queryKey: trpc.incidents.counts.queryKey() });
    }, COUNTS_RECONCILE_MS);
  }
}

// ---- Workflow runs and approvals ----

/** Pending approval gates, as the nav badge shows them: set by `approvals:changed` pushes. */
export const PENDING_APPROVALS_KEY = ["approvals", "pendingCount"] as const;

export function applyRunsPatch(qc: QueryClient, trpc: Trpc, runs: RunSummary[]) {
  if (runs.length === 0) return;
  for (const [key, data] of qc.getQueriesData<InfiniteData<RunPage, unknown>>({ queryKey: trpc.runs.find.infiniteQueryKey() })) {
    if (!data?.pages) continue;
    const next = patchRunPages(data, runs, inputOf<RunFilter>(key));
    if (next !== data) qc.setQueryData(key, next);
  }
  // A run detail hears `run:updated` only once its room is joined; what changed before (e.g.
  // between starting a run and its page subscribing) shows up here as counts it lacks. A batch
  // is sent after the `run:updated` pushes it summarises, so a subscribed detail is never behind.
  const byId = new Map(runs.map((r) => [r.id, r]));
  for (const [key, data] of qc.getQueriesData<RunRow>({ queryKey: trpc.runs.get.queryKey() })) {
    const summary = data && byId.get(data.id);
    if (summary && runBehind(data, summary)) void qc.invalidateQueries({ queryKey: key, exact: true });
  }
}

/** A whole run (a `run:updated` push or a mutation's answer): its detail, and its row in lists. */
export function applyRun(qc: QueryClient, trpc: Trpc, run: RunRow) {
  const key = trpc.runs.get.queryKey({ id: run.id });
  const old = qc.getQueryData<RunRow>(key);
  const next = mergeRun(old, run);
  if (next !== old) qc.setQueryData(key, next);
  const { steps, ...rest } = run;
  applyRunsPatch(qc, trpc, [{ ...rest, counts: countStatuses(steps.map((s) => s.status)), total: steps.length }]);
}

/** The badge takes the pushed count at once; an open inbox fetches the list again. */
export function applyApprovalsChanged(qc: QueryClient, trpc: Trpc, pending: number) {
  qc.setQueryData(PENDING_APPROVALS_KEY, pending);
  void qc.invalidateQueries({ queryKey: trpc.approvals.find.queryKey() });
}
