// Pure functions that fold workflow pushes (`runs:patch`, `run:updated`) into cached query
// results. Like cache-patches.ts, each returns its input unchanged when nothing
// changed, and keeps the identity of untouched rows and steps so memoized rows and graph nodes
// skip rendering.
import type { InfiniteData } from "@tanstack/react-query";
import type { RunStatus, RunSummary, RunView, StepView } from "@/lib/api";
import { STEP_STATUSES } from "@/lib/api/enums";
import { countStatuses } from "@/lib/api/workflows";

/**
 * A step as the browser holds it: tRPC's JSON typing makes `unknown` fields optional, so cached
 * steps are this rather than `StepView` (which is assignable to it).
 */
export type StepRow = Omit<StepView, "result"> & { result?: unknown };
export type RunRow = Omit<RunView, "steps"> & { steps: StepRow[] };

export interface RunFilter {
  status?: RunStatus;
  template?: string;
  search?: string;
}

export interface RunPage {
  items: RunSummary[];
  nextCursor: string | null;
}

export const isRunFinished = (status: RunStatus) => status !== "running";

/** The client's reading of the server's filter: search is an id prefix, or part of the template name or trigger. */
export function runMatches(r: RunSummary, f: RunFilter | undefined): boolean {
  if (!f) return true;
  if (f.status && r.status !== f.status) return false;
  if (f.template && r.templateName !== f.template) return false;
  const q = f.search?.trim().toLowerCase();
  if (q && !r.id.toLowerCase().startsWith(q) && !r.templateName.toLowerCase().includes(q) && !r.triggeredBy.toLowerCase().includes(q)) return false;
  return true;
}

/**
 * Fold changed runs into a newest-first paged list: known runs are replaced where they are (a
 * row does not vanish when it stops matching); new matching runs are inserted by createdAt, but
 * only inside the loaded window when more pages exist.
 */
export function patchRunPages<P = unknown>(data: InfiniteData<RunPage, P>, patch: readonly RunSummary[], filter?: RunFilter): InfiniteData<RunPage, P> {
  if (patch.length === 0 || data.pages.length === 0) return data;
  const changed = new Map(patch.map((r) => [r.id, r]));
  let dirty = false;
  let pages = data.pages.map((page) => {
    let pageDirty = false;
    const items = page.items.map((r) => {
      const p = changed.get(r.id);
      if (!p) return r;
      changed.delete(r.id);
      if (p === r || sameSummary(p, r)) return r;
      pageDirty = true;
      return p;
    });
    if (!pageDirty) return page;
    dirty = true;
    return { ...page, items };
  });
  const added = [...changed.values()].filter((r) => runMatches(r, filter)).sort((a, b) => b.createdAt - a.createdAt);
  if (added.length) {
    const more = pages[pages.length - 1].nextCursor != null;
    const all = pages.flatMap((p) => p.items);
    const oldest = all.length ? all[all.length - 1].createdAt : -Infinity;
    for (const r of added) {
      if (more && r.createdAt < oldest) continue;
      pages = insertByCreatedAt(pages, r);
      dirty = true;
    }
  }
  return dirty ? { ...data, pages } : data;
}

function insertByCreatedAt(pages: RunPage[], r: RunSummary): RunPage[] {
  for (let p = 0; p < pages.length; p++) {
    const items = pages[p].items;
    const i = items.findIndex((x) => x.createdAt < r.createdAt);
    if (i >= 0 || p === pages.length - 1) {
      const at = i >= 0 ? i : items.length;
      const copy = [...items.slice(0, at), r, ...items.slice(at)];
      return pages.map((page, k) => (k === p ? { ...page, items: copy } : page));
    }
  }
  return pages;
}

/** Flatten pages, dropping duplicates a cursor can produce after live inserts. */
export function flattenRunPages(pages: readonly RunPage[]): RunSummary[] {
  const seen = new Set<string>();
  const out: RunSummary[] = [];
  for (const page of pages)
    for (const r of page.items) {
      if (seen.has(r.id)) continue;
      seen.add(r.id);
      out.push(r);
    }
  return out;
}

function sameSummary(a: RunSummary, b: RunSummary): boolean {
  return a.status === b.status && a.finishedAt === b.finishedAt && a.error === b.error && a.total === b.total && JSON.stringify(a.counts) === JSON.stringify(b.counts);
}

const STEP_SCALARS = ["status", "title", "taskId", "agentId", "agentName", "attempt", "error", "startedAt", "finishedAt", "approvalDeadline"] as const;

export function sameStep(a: StepRow, b: StepRow): boolean {
  for (const k of STEP_SCALARS) if (a[k] !== b[k]) return false;
  return (
    a.decisions.length === b.decisions.length &&
    a.dependsOn.length === b.dependsOn.length &&
    a.dependsOn.every((d, i) => d === b.dependsOn[i]) &&
    JSON.stringify(a.decisions) === JSON.stringify(b.decisions) &&
    JSON.stringify(a.result ?? null) === JSON.stringify(b.result ?? null)
  );
}

/**
 * The pushed run, with the previous step objects kept wherever a step did not change, so the
 * graph re-renders only the nodes whose step did. Returns `prev` when nothing changed at all.
 */
export function mergeRun(prev: RunRow | undefined, next: RunRow): RunRow {
  if (!prev || prev.id !== next.id) return next;
  const old = new Map(prev.steps.map((s) => [s.id, s]));
  let changed = prev.steps.length !== next.steps.length;
  const steps = next.steps.map((s, i) => {
    const o = old.get(s.id);
    if (o && sameStep(o, s)) {
      if (prev.steps[i] !== o) changed = true;
      return o;
    }
    changed = true;
    return s;
  });
  if (!changed && prev.status === next.status && prev.finishedAt === next.finishedAt && prev.error === next.error) return prev;
  return { ...next, steps };
}

const STATUS_RANK: Record<StepView["status"], number> = { pending: 0, queued: 1, running: 2, waiting_approval: 2, succeeded: 3, failed: 3, skipped: 3, canceled: 3 };

/**
 * How far a run has progressed, to pick the newer of a fetched snapshot and a push that crossed
 * it in flight. Steps only move forward between re-runs; a re-run comes back as a mutation
 * answer and is applied directly.
 */
export function runProgress(run: RunRow): number {
  let n = isRunFinished(run.status) ? 1_000_000 : 0;
  for (const s of run.steps) n += STATUS_RANK[s.status] + s.attempt * 4 + s.decisions.length;
  return n;
}

/** Whether a cached run lacks changes that a pushed summary of it already counts. */
export function runBehind(run: RunRow, summary: RunSummary): boolean {
  if (run.status !== summary.status || run.steps.length !== summary.total) return true;
  const counts = countStatuses(run.steps.map((s) => s.status));
  return STEP_STATUSES.some((k) => counts[k] !== summary.counts[k]);
}
