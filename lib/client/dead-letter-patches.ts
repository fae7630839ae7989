// Folds `tasks:patch` pushes (and retry answers) into cached dead-letter pages. A requeued task
// leaves at once; a task that just died cannot be added from the push alone (the row needs every
// attempt's error, which only the server has), so the caller refetches.
import type { InfiniteData } from "@tanstack/react-query";
import type { TaskEventType } from "@/lib/api";
import type { TaskRow } from "./cache-patches";

export interface DeadLetterRow {
  task: TaskRow;
  attempts: { attempt: number; at: number; type: TaskEventType; agentName: string | null; message: string | null }[];
}

export interface DeadLetterPage {
  items: DeadLetterRow[];
  nextCursor: string | null;
}

/**
 * Drop rows whose task is no longer dead; `refetch` says a patched task died (again) and the
 * pages do not show that death yet.
 */
export function patchDeadLetterPages<P = unknown>(data: InfiniteData<DeadLetterPage, P>, tasks: TaskRow[]): { data: InfiniteData<DeadLetterPage, P>; refetch: boolean } {
  if (tasks.length === 0) return { data, refetch: false };
  const changed = new Map(tasks.map((t) => [t.id, t]));
  const shown = new Map<string, TaskRow>();
  let dirty = false;
  const pages = data.pages.map((page) => {
    const items = page.items.filter((row) => {
      shown.set(row.task.id, row.task);
      const t = changed.get(row.task.id);
      return !t || t.status === "dead";
    });
    if (items.length === page.items.length) return page;
    dirty = true;
    return { ...page, items };
  });
  const refetch = tasks.some((t) => {
    if (t.status !== "dead") return false;
    const held = shown.get(t.id);
    return !held || held.finishedAt !== t.finishedAt;
  });
  return { data: dirty ? { ...data, pages } : data, refetch };
}

/** Flatten pages, dropping duplicates a cursor can produce after a refetch. */
export function flattenDeadLetterPages(pages: DeadLetterPage[]): DeadLetterRow[] {
  const seen = new Set<string>();
  const out: DeadLetterRow[] = [];
  for (const page of pages)
    for (const row of page.items) {
      if (seen.has(row.task.id)) continue;
      seen.add(row.task.id);
      out.push(row);
    }
  return out;
}
