"use client";
// The insight queries. These are aggregates the server computes over history on demand, not lists
// a push could patch, so — like the traffic page — they refetch on an interval (a quarter of a
// minute: history moves slowly) and keep the last answer on screen while the next one loads.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { AnalyticsCapacityInput, AnalyticsErrorsInput, AnalyticsSummaryInput, InsightRange } from "@/lib/api";
import { useTRPC } from "@/lib/client/trpc";

export const INSIGHT_REFRESH_MS = 15_000;

/** Fresher than the dashboard's default: going back to a range or filter shows what is new since. */
const INSIGHT_STALE_MS = 5_000;

const live = { refetchInterval: INSIGHT_REFRESH_MS, staleTime: INSIGHT_STALE_MS, placeholderData: <T>(prev: T | undefined) => prev };

export function useAnalyticsSummary(input: AnalyticsSummaryInput) {
  const trpc = useTRPC();
  return useQuery({ ...trpc.insight.summary.queryOptions(input), ...live });
}

export function useRecommendations(input: { range: InsightRange; targetWaitMs?: number }) {
  const trpc = useTRPC();
  return useQuery({ ...trpc.insight.recommendations.queryOptions(input), ...live });
}

export function useErrorGroups(input: AnalyticsErrorsInput) {
  const trpc = useTRPC();
  return useQuery({ ...trpc.insight.errors.queryOptions(input), ...live });
}

export function useCapacity(input: AnalyticsCapacityInput) {
  const trpc = useTRPC();
  return useQuery({ ...trpc.insight.capacity.queryOptions(input), ...live });
}

/** Resolve, ignore or reopen a group; every error list refetches, so a resolved group leaves the open one. */
export function useSetErrorStatus() {
  const trpc = useTRPC();
  const qc = useQueryClient();
  return useMutation(
    trpc.insight.setErrorStatus.mutationOptions({
      onSuccess: () => qc.invalidateQueries({ queryKey: trpc.insight.errors.pathKey() }),
    }),
  );
}

/** The browser's IANA time zone, for the capacity shortfall texts ("Mon 09–12"). */
export function browserTimeZone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
  } catch {
    return "UTC";
  }
}
