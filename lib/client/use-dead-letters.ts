"use client";
// Dead tasks with every attempt's error, and requeueing them. The list is patched by
// `applyTasksPatch`: a requeued task leaves at once, a task that dies makes it fetch again.
import { useMemo } from "react";
import { useInfiniteQuery, useMutation, useQueryClient } from "@tanstack/react-query";
import { flattenDeadLetterPages } from "./dead-letter-patches";
import { useTRPC, useTRPCClient, type RouterOutputs } from "./trpc";

export const DEAD_LETTER_PAGE_SIZE = 25;
/** The server takes at most this many ids per `tasks.retryMany` call. */
const RETRY_MANY_MAX = 500;

export type RequeueResult = RouterOutputs["tasks"]["retryMany"][number];

/** Newest deaths first, optionally searched (title, command or id). */
export function useDeadLetters(search?: string) {
  const trpc = useTRPC();
  const input = useMemo(() => {
    const q = search?.trim();
    return q ? { limit: DEAD_LETTER_PAGE_SIZE, search: q } : { limit: DEAD_LETTER_PAGE_SIZE };
  }, [search]);
  const query = useInfiniteQuery(
    trpc.tasks.deadLetters.infiniteQueryOptions(input, {
      getNextPageParam: (last) => last.nextCursor,
      placeholderData: (prev) => prev,
    }),
  );
  const rows = useMemo(() => (query.data ? flattenDeadLetterPages(query.data.pages) : []), [query.data]);
  return { ...query, rows };
}

/**
 * Requeues many tasks; one answer per task (a refusal is a sentence, not an error). The lists
 * fetch again afterwards; the requeued tasks' `tasks:patch` pushes also move them.
 */
export function useRequeueMany() {
  const trpc = useTRPC();
  const client = useTRPCClient();
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async (ids: string[]) => {
      const results: RequeueResult[] = [];
      for (let i = 0; i < ids.length; i += RETRY_MANY_MAX) results.push(...(await client.tasks.retryMany.mutate({ ids: ids.slice(i, i + RETRY_MANY_MAX) })));
      return results;
    },
    onSettled: () => void qc.invalidateQueries({ queryKey: trpc.tasks.deadLetters.infiniteQueryKey() }),
  });
}
