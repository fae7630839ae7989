"use client";
import { useQuery } from "@tanstack/react-query";
import { useTRPC, type RouterOutputs } from "./trpc";

export type GatewayStats = RouterOutputs["gateway"]["stats"];

/**
 * API traffic over the last `windowMinutes`, refetched every few seconds. Polling is the
 * exception here on purpose: this is a small aggregate the server computes on demand, not a
 * list that pushes could patch, and every request changes it.
 */
export const GATEWAY_REFRESH_MS = 5000;

export function useGatewayStats(windowMinutes: number) {
  const trpc = useTRPC();
  return useQuery({
    ...trpc.gateway.stats.queryOptions({ windowMinutes }),
    refetchInterval: GATEWAY_REFRESH_MS,
    placeholderData: (prev) => prev,
  });
}
