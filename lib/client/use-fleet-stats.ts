"use client";
import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "./trpc";

/** Fleet counters; replaced by every `stats:updated` push. */
export function useFleetStats() {
  const trpc = useTRPC();
  return useQuery(trpc.fleet.stats.queryOptions());
}
