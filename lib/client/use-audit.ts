"use client";
// The audit log (admins only), newest first, a page at a time. Nothing pushes audit entries,
// so the list shows what was there when it loaded; the page offers a refresh. `actor` matches
// exactly; `action` and `search` match parts.
import { useMemo } from "react";
import { useInfiniteQuery } from "@tanstack/react-query";
import { useTRPC, type RouterInputs, type RouterOutputs } from "./trpc";

export type AuditEntry = RouterOutputs["audit"]["find"]["items"][number];
export type AuditOutcome = NonNullable<RouterInputs["audit"]["find"]["outcome"]>;
export const AUDIT_OUTCOMES: readonly AuditOutcome[] = ["ok", "denied", "failed"];

export interface AuditFilter {
  actor?: string;
  action?: string;
  outcome?: AuditOutcome;
  search?: string;
}

export const AUDIT_PAGE_SIZE = 50;

export function useAuditLog(filter: AuditFilter) {
  const trpc = useTRPC();
  const input = useMemo(() => {
    const i: AuditFilter & { limit: number } = { limit: AUDIT_PAGE_SIZE };
    if (filter.actor?.trim()) i.actor = filter.actor.trim();
    if (filter.action?.trim()) i.action = filter.action.trim();
    if (filter.outcome) i.outcome = filter.outcome;
    if (filter.search?.trim()) i.search = filter.search.trim();
    return i;
  }, [filter.actor, filter.action, filter.outcome, filter.search]);
  const query = useInfiniteQuery(
    trpc.audit.find.infiniteQueryOptions(input, {
      getNextPageParam: (last) => last.nextCursor,
      placeholderData: (prev) => prev,
    }),
  );
  // Pages follow each other by id (the cursor is the last id seen), so they never overlap.
  const entries = useMemo(() => (query.data?.pages ?? []).flatMap((p) => p.items), [query.data]);
  return { ...query, entries };
}
