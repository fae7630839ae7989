"use client";
// The incidents timeline and its counts. Both are fetched once and then kept current by
// `incidents:new` pushes (`useFleetSync` → `applyIncidents`): new incidents go on top, counts
// go up; nothing polls.
import { useEffect, useMemo } from "react";
import { useInfiniteQuery, useQuery, useQueryClient } from "@tanstack/react-query";
import type { IncidentKind } from "@/lib/api";
import { prependIncidents } from "./incident-patches";
import { recentIncidentPushes } from "./live-cache";
import { useTRPC } from "./trpc";

export const INCIDENT_PAGE_SIZE = 50;

/** Newest-first incidents, optionally of one kind, a page at a time; pushed ones prepend live. */
export function useIncidents(kind?: IncidentKind) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const input = useMemo(() => (kind ? { limit: INCIDENT_PAGE_SIZE, kind } : { limit: INCIDENT_PAGE_SIZE }), [kind]);
  const options = trpc.incidents.find.infiniteQueryOptions(input, {
    getNextPageParam: (last) => last.nextCursor,
    placeholderData: (prev) => prev,
  });
  const query = useInfiniteQuery(options);

  // A push can overtake the answer of a fetch that read the store before that incident was
  // written; the answer would then drop it. Recent pushes are merged into every answer.
  const key = options.queryKey;
  useEffect(() => {
    if (!query.data || query.isPlaceholderData) return;
    const next = prependIncidents(query.data, recentIncidentPushes(), kind);
    if (next !== query.data) qc.setQueryData(key, next);
    // `key` is derived from `kind`.
  }, [query.dataUpdatedAt, query.isPlaceholderData, kind]);

  const incidents = useMemo(() => (query.data?.pages ?? []).flatMap((p) => p.items), [query.data]);
  return { ...query, incidents };
}

/** How many incidents of each kind in the last `windowMinutes` (bumped by pushes). */
export function useIncidentCounts(windowMinutes: number) {
  const trpc = useTRPC();
  return useQuery(trpc.incidents.counts.queryOptions({ windowMinutes }));
}
