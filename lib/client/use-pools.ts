"use client";
// Agent pools. A pool decides every second and no domain event carries its decisions to the
// dashboard socket yet, so its pages refetch every 2 s while open (queries pause in a hidden tab).
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { errorCode } from "./error-message";
import { useTRPC } from "./trpc";

export const POOLS_REFRESH_MS = 2_000;
const live = { refetchInterval: POOLS_REFRESH_MS, placeholderData: <T>(prev: T | undefined) => prev };

export function usePools() {
  const trpc = useTRPC();
  return useQuery({ ...trpc.pools.list.queryOptions(), ...live });
}

export function usePool(id: string) {
  const trpc = useTRPC();
  return useQuery({ ...trpc.pools.get.queryOptions({ id }), refetchInterval: POOLS_REFRESH_MS, retry: (n, e) => n < 2 && errorCode(e) !== "NOT_FOUND" });
}

/**
 * Decisions since `since` (newest first). Callers round `since` down (to the minute), so the
 * query key — and the cache entry — changes once a minute, not on every refetch.
 */
export function usePoolDecisions(id: string, since: number) {
  const trpc = useTRPC();
  return useQuery({ ...trpc.pools.decisions.queryOptions({ id, since, limit: 1000 }), ...live });
}

function useInvalidatePools() {
  const trpc = useTRPC();
  const qc = useQueryClient();
  return () => qc.invalidateQueries({ queryKey: trpc.pools.pathKey() });
}

export function useCreatePool() {
  const trpc = useTRPC();
  const invalidate = useInvalidatePools();
  return useMutation(trpc.pools.create.mutationOptions({ onSuccess: invalidate }));
}

export function useSetPoolBounds() {
  const trpc = useTRPC();
  const invalidate = useInvalidatePools();
  return useMutation(trpc.pools.setBounds.mutationOptions({ onSuccess: invalidate }));
}

export function useDeletePool() {
  const trpc = useTRPC();
  const qc = useQueryClient();
  // Only the list: the deleted pool's own page is left for it to navigate away from, not refetched into a 404.
  return useMutation(trpc.pools.delete.mutationOptions({ onSuccess: () => qc.invalidateQueries({ queryKey: trpc.pools.list.queryKey() }) }));
}
