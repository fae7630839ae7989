"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTRPC } from "./trpc";

export function useTokens() {
  const trpc = useTRPC();
  return useQuery(trpc.tokens.find.queryOptions());
}

/** Creates a token; its secret is only in the mutation's answer, never in the cache. */
export function useCreateToken() {
  const trpc = useTRPC();
  const qc = useQueryClient();
  return useMutation(
    trpc.tokens.create.mutationOptions({
      onSuccess: ({ token }) => qc.setQueryData(trpc.tokens.find.queryKey(), (old) => (old ? [token, ...old.filter((t) => t.id !== token.id)] : old)),
    }),
  );
}

export function useRevokeToken() {
  const trpc = useTRPC();
  const qc = useQueryClient();
  return useMutation(
    trpc.tokens.revoke.mutationOptions({
      onSuccess: (token) => qc.setQueryData(trpc.tokens.find.queryKey(), (old) => old?.map((t) => (t.id === token.id ? token : t))),
    }),
  );
}
