// Pure functions that fold `incidents:new` pushes into cached incident pages and counts. Like
// cache-patches.ts, each returns its input unchanged when nothing changed.
import type { InfiniteData } from "@tanstack/react-query";
// From the modules themselves, not the `@/lib/api` index: that would bring every schema of the
// API into each page's first bundle.
import type { IncidentView } from "@/lib/api";
import { incidentKindSchema, type IncidentKind } from "@/lib/api/enums";

export const INCIDENT_KINDS: readonly IncidentKind[] = incidentKindSchema.options;

export const isIncidentKind = (s: string): s is IncidentKind => (INCIDENT_KINDS as readonly string[]).includes(s);

export interface IncidentPage {
  items: IncidentView[];
  nextCursor: number | null;
}

export type IncidentCounts = Record<IncidentKind, number>;

/**
 * Pushed incidents are not read back from the store, so they carry id 0; a stored row and the
 * push of the same incident are told apart (or matched) by their content instead.
 */
export const incidentKey = (i: IncidentView) => `${i.at}|${i.kind}|${i.agentId ?? ""}|${i.taskId ?? ""}|${i.message}`;

/**
 * Put incidents the pages lack on the first page, newest first. Only the first page changes:
 * pushes are new, and the cursors of later pages (ids) stay valid.
 */
export function prependIncidents<P = unknown>(data: InfiniteData<IncidentPage, P>, incoming: IncidentView[], kind?: IncidentKind): InfiniteData<IncidentPage, P> {
  if (incoming.length === 0 || data.pages.length === 0) return data;
  const held = new Set<string>();
  for (const page of data.pages) for (const i of page.items) held.add(incidentKey(i));
  const fresh: IncidentView[] = [];
  for (const i of incoming) {
    if (kind && i.kind !== kind) continue;
    const k = incidentKey(i);
    if (held.has(k)) continue;
    held.add(k);
    fresh.push(i);
  }
  if (fresh.length === 0) return data;
  const [first, ...rest] = data.pages;
  // Stable: among equal times, the new ones go above what was already shown.
  const items = [...fresh, ...first.items].sort((a, b) => b.at - a.at);
  return { ...data, pages: [{ ...first, items }, ...rest] };
}

/** Count pushed incidents into a window's counts (they are new, so inside any window). */
export function bumpIncidentCounts(counts: IncidentCounts, incoming: IncidentView[]): IncidentCounts {
  if (incoming.length === 0) return counts;
  const next = { ...counts };
  for (const i of incoming) next[i.kind] = (next[i.kind] ?? 0) + 1;
  return next;
}
