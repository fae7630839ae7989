"use client";
import { useQuery } from "@tanstack/react-query";
import { useTRPC, type RouterOutputs } from "./trpc";

export type TrafficStats = RouterOutputs["traffic"]["stats"];

/**
 * API traffic over the last `windowMinutes`, refetched every few seconds. Polling is the
 * exception here on purpose: this is a small aggregate the server computes on demand, not a
 * list that pushes could patch, and every request changes it.
 */
export const TRAFFIC_REFRESH_MS = 5000;

export function useTrafficStats(windowMinutes: number) {
  const trpc = useTRPC();
  return useQuery({
    ...trpc.traffic.stats.queryOptions({ windowMinutes }),
    refetchInterval: TRAFFIC_REFRESH_MS,
    placeholderData: (prev) => prev,
  });
}
