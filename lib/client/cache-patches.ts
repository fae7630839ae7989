// Pure functions that fold socket pushes into cached query results. Each returns the input
// reference unchanged when nothing changed, so React Query notifies no one and memoized rows
// (keyed on object identity) skip rendering.
import type { InfiniteData } from "@tanstack/react-query";
import type { TaskStatus } from "@/lib/protocol";
import type { AgentStatus, AgentView, ResourceSample, TaskEventView, TaskLogLine, TaskView } from "@/lib/api";

/**
 * A task as the browser holds it. tRPC's JSON typing makes `unknown` fields optional, so the
 * cached tasks are this rather than `TaskView` (which is assignable to it).
 */
export type TaskRow = Omit<TaskView, "payload" | "result"> & { payload?: unknown; result?: unknown };

export const TERMINAL: readonly TaskStatus[] = ["succeeded", "failed", "canceled", "dead"];
export const isTerminalStatus = (s: TaskStatus) => TERMINAL.includes(s);
export const RETRYABLE: readonly TaskStatus[] = ["failed", "dead", "canceled"];

/** The browser keeps at most this many log lines of one task; older lines are dropped. */
export const MAX_LOG_LINES = 5000;

// ---- Agents ----

export interface AgentFilter {
  status?: AgentStatus;
}

export const agentMatches = (a: AgentView, f: AgentFilter | undefined) => !f?.status || a.status === f.status;

/** Binary order, as the server sorts names (SQL ORDER BY name). */
const byName = (a: AgentView, b: AgentView) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.id < b.id ? -1 : 1);

/**
 * Replace changed agents in place, drop those that left the filter, insert new matching ones in
 * name order. Untouched agents keep their identity.
 */
export function patchAgentList(list: AgentView[], patch: AgentView[], filter?: AgentFilter): AgentView[] {
  if (patch.length === 0) return list;
  const changed = new Map(patch.map((a) => [a.id, a]));
  let dirty = false;
  const next: AgentView[] = [];
  for (const a of list) {
    const p = changed.get(a.id);
    if (!p) {
      next.push(a);
      continue;
    }
    changed.delete(a.id);
    if (p === a) {
      next.push(a);
    } else if (agentMatches(p, filter)) {
      next.push(p);
      dirty = true;
    } else {
      dirty = true; // left the filter
    }
  }
  const added = [...changed.values()].filter((a) => agentMatches(a, filter));
  if (added.length === 0) return dirty ? next : list;
  return [...next, ...added].sort(byName);
}

/** Append heartbeat samples newer than the last one held, keeping `windowMs` before the newest. */
export function appendSamples(existing: ResourceSample[], incoming: ResourceSample[], windowMs = 3_600_000): ResourceSample[] {
  const lastAt = existing.length ? existing[existing.length - 1].at : -Infinity;
  const fresh = incoming.filter((s) => s.at > lastAt).sort((a, b) => a.at - b.at);
  if (fresh.length === 0) return existing;
  const merged = [...existing, ...fresh];
  const cutoff = merged[merged.length - 1].at - windowMs;
  const first = merged.findIndex((s) => s.at >= cutoff);
  return first > 0 ? merged.slice(first) : merged;
}

/** The sample an agent patch implies, when its heartbeat carries no sample list. */
export function sampleOf(agent: AgentView): ResourceSample | null {
  if (agent.lastHeartbeatAt == null || agent.cpu == null || agent.memoryMb == null) return null;
  return { at: agent.lastHeartbeatAt, cpu: agent.cpu, memoryMb: agent.memoryMb };
}

export interface AgentDetail {
  agent: AgentView;
  currentTasks: TaskRow[];
  recentTasks: TaskRow[];
  samples: ResourceSample[];
}

export function patchAgentDetail(detail: AgentDetail, agent: AgentView): AgentDetail {
  if (agent === detail.agent) return detail;
  const implied = sampleOf(agent);
  const incoming = agent.samples.length ? agent.samples : implied ? [implied] : [];
  return { ...detail, agent, samples: appendSamples(detail.samples, incoming) };
}

/** Move tasks between an agent's current and recent lists as they start and finish. */
export function patchAgentDetailTasks(detail: AgentDetail, tasks: TaskRow[], recentLimit = 20): AgentDetail {
  const mine = tasks.filter((t) => t.agentId === detail.agent.id || detail.currentTasks.some((c) => c.id === t.id));
  if (mine.length === 0) return detail;
  const ids = new Set(mine.map((t) => t.id));
  const current = detail.currentTasks.filter((t) => !ids.has(t.id));
  const recent = detail.recentTasks.filter((t) => !ids.has(t.id));
  for (const t of mine) {
    if (t.agentId !== detail.agent.id) continue; // requeued elsewhere
    if (isTerminalStatus(t.status)) recent.unshift(t);
    else current.push(t);
  }
  current.sort((a, b) => b.createdAt - a.createdAt);
  recent.sort((a, b) => (b.finishedAt ?? b.createdAt) - (a.finishedAt ?? a.createdAt));
  return { ...detail, currentTasks: current, recentTasks: recent.slice(0, recentLimit) };
}

// ---- Tasks ----

export interface TaskFilter {
  status?: TaskStatus;
  agentId?: string;
  search?: string;
}

export interface TaskPage {
  items: TaskRow[];
  nextCursor: string | null;
}

/** The client's reading of the server's filter; search matches id, title or command, ignoring case. */
export function taskMatches(t: TaskRow, f: TaskFilter | undefined): boolean {
  if (!f) return true;
  if (f.status && t.status !== f.status) return false;
  if (f.agentId && t.agentId !== f.agentId) return false;
  const q = f.search?.trim().toLowerCase();
  if (q) {
    const hay = `${t.id}\n${t.title}\n${t.command ?? ""}`.toLowerCase();
    if (!hay.includes(q)) return false;
  }
  return true;
}

/**
 * Fold changed tasks into a newest-first paged list: known tasks are replaced where they are
 * (even if they no longer match, so a row does not vanish under the user's eyes); unknown tasks
 * that match are inserted in createdAt order, but only inside the loaded window — a task older than
 * the last loaded row belongs to a page not fetched yet.
 */
export function patchTaskPages<P = unknown>(data: InfiniteData<TaskPage, P>, patch: TaskRow[], filter?: TaskFilter): InfiniteData<TaskPage, P> {
  if (patch.length === 0 || data.pages.length === 0) return data;
  const changed = new Map(patch.map((t) => [t.id, t]));
  let dirty = false;
  let pages = data.pages.map((page) => {
    let pageDirty = false;
    const items = page.items.map((t) => {
      const p = changed.get(t.id);
      if (!p) return t;
      changed.delete(t.id);
      if (p === t) return t;
      pageDirty = true;
      return p;
    });
    if (!pageDirty) return page;
    dirty = true;
    return { ...page, items };
  });

  const added = [...changed.values()].filter((t) => taskMatches(t, filter)).sort((a, b) => b.createdAt - a.createdAt);
  if (added.length) {
    const last = pages[pages.length - 1];
    const oldest = lastItem(pages)?.createdAt ?? -Infinity;
    const more = last.nextCursor != null;
    for (const t of added) {
      if (more && t.createdAt < oldest) continue;
      pages = insertByCreatedAt(pages, t);
      dirty = true;
    }
  }
  return dirty ? { ...data, pages } : data;
}

function lastItem(pages: TaskPage[]): TaskRow | undefined {
  for (let i = pages.length - 1; i >= 0; i--) {
    const items = pages[i].items;
    if (items.length) return items[items.length - 1];
  }
  return undefined;
}

function insertByCreatedAt(pages: TaskPage[], t: TaskRow): TaskPage[] {
  for (let p = 0; p < pages.length; p++) {
    const items = pages[p].items;
    const i = items.findIndex((x) => x.createdAt < t.createdAt);
    if (i >= 0 || p === pages.length - 1) {
      const at = i >= 0 ? i : items.length;
      const copy = [...items.slice(0, at), t, ...items.slice(at)];
      return pages.map((page, k) => (k === p ? { ...page, items: copy } : page));
    }
  }
  return pages;
}

/** Flatten pages, dropping duplicates a cursor can produce after live inserts. */
export function flattenTaskPages(pages: TaskPage[]): TaskRow[] {
  const seen = new Set<string>();
  const out: TaskRow[] = [];
  for (const page of pages)
    for (const t of page.items) {
      if (seen.has(t.id)) continue;
      seen.add(t.id);
      out.push(t);
    }
  return out;
}

// ---- Task detail: logs and events ----

const logKey = (l: TaskLogLine) => `${l.attempt}|${l.at}|${l.stream}|${l.line}`;

/**
 * Append pushed log lines, skipping those already held (a refetch and a push can overlap).
 * Only the tail is checked: overlap is always recent.
 */
export function appendLogs(existing: TaskLogLine[], incoming: TaskLogLine[], max = MAX_LOG_LINES): TaskLogLine[] {
  if (incoming.length === 0) return existing;
  const tail = new Set(existing.slice(-(incoming.length + 2000)).map(logKey));
  const fresh: TaskLogLine[] = [];
  for (const l of incoming) {
    const k = logKey(l);
    if (tail.has(k)) continue;
    tail.add(k);
    fresh.push(l);
  }
  if (fresh.length === 0) return existing;
  const merged = existing.concat(fresh);
  return merged.length > max ? merged.slice(merged.length - max) : merged;
}

/** Merge events by id, in id order. */
export function mergeEvents(existing: TaskEventView[], incoming: TaskEventView[]): TaskEventView[] {
  if (incoming.length === 0) return existing;
  const ids = new Set(existing.map((e) => e.id));
  const fresh = incoming.filter((e) => !ids.has(e.id));
  if (fresh.length === 0) return existing;
  return [...existing, ...fresh].sort((a, b) => a.id - b.id);
}
