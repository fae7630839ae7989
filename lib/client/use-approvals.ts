"use client";
// Approval gates waiting for an operator. The inbox list is fetched again whenever the server
// pushes `approvals:changed` (a push-triggered fetch, never a timer); the nav badge shows the
// pushed count itself.
import { useEffect } from "react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { applyRun, PENDING_APPROVALS_KEY } from "./live-cache";
import { useTRPC, useTRPCClient } from "./trpc";

/** Pending approval gates with their runs, oldest first. */
export function useApprovals() {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const query = useQuery(trpc.approvals.find.queryOptions());
  const count = query.data?.length;
  useEffect(() => {
    if (count !== undefined) qc.setQueryData(PENDING_APPROVALS_KEY, count);
  }, [count, query.dataUpdatedAt, qc]);
  return query;
}

/** How many approval gates wait; undefined until known. */
export function usePendingApprovalCount({ enabled = true }: { enabled?: boolean } = {}) {
  const client = useTRPCClient();
  const { data } = useQuery({
    queryKey: PENDING_APPROVALS_KEY,
    queryFn: async () => (await client.approvals.find.query()).length,
    staleTime: Infinity,
    enabled,
  });
  return data;
}

/** Approves or rejects a gate; the row leaves the inbox at once and the run updates everywhere. */
export function useDecideApproval() {
  const trpc = useTRPC();
  const qc = useQueryClient();
  return useMutation(
    trpc.approvals.decide.mutationOptions({
      onSuccess: (run, input) => {
        applyRun(qc, trpc, run);
        const key = trpc.approvals.find.queryKey();
        const list = qc.getQueryData(key);
        if (list) {
          const rest = list.filter((a) => !(a.run.id === input.runId && a.step.id === input.stepId));
          if (rest.length !== list.length) {
            qc.setQueryData(key, rest);
            qc.setQueryData(PENDING_APPROVALS_KEY, rest.length);
          }
        }
      },
    }),
  );
}
