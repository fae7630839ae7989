"use client";
// Workflow run queries and commands. Run lists are patched by `useFleetSync` (`runs:patch`); a
// run's detail joins the `run:<id>` room while it is on screen and takes every `run:updated`
// push, keeping unchanged steps' identity so the graph re-renders only what changed. Changes
// made before the room was joined are caught by `applyRunsPatch`, which refetches a cached run
// whose step counts fall behind the fleet room's summary of it.
import { useEffect, useMemo, useRef } from "react";
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { roomFor } from "@/lib/dashboard-events";
import type { RunView } from "@/lib/api";
import { flattenRunPages, mergeRun, runProgress, type RunFilter, type RunRow } from "./run-patches";
import { applyRun } from "./live-cache";
import { useSocket, useSocketRoom } from "./socket";
import { useTRPC } from "./trpc";

export type { RunFilter, RunRow, StepRow } from "./run-patches";

export const RUN_PAGE_SIZE = 50;

/** Newest-first runs matching `filter`, a page at a time; rows update live. */
export function useRunList(filter: RunFilter) {
  const trpc = useTRPC();
  const input = useMemo(() => {
    const i: RunFilter & { limit: number } = { limit: RUN_PAGE_SIZE };
    if (filter.status) i.status = filter.status;
    if (filter.template) i.template = filter.template;
    if (filter.search?.trim()) i.search = filter.search.trim();
    return i;
  }, [filter.status, filter.template, filter.search]);
  const query = useInfiniteQuery(
    trpc.runs.find.infiniteQueryOptions(input, {
      getNextPageParam: (last) => last.nextCursor,
      placeholderData: (prev) => prev,
    }),
  );
  const runs = useMemo(() => (query.data ? flattenRunPages(query.data.pages) : []), [query.data]);
  return { ...query, runs };
}

/** One run with all its steps, live. */
export function useRun(id: string) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const { socket } = useSocket();
  const options = trpc.runs.get.queryOptions({ id });
  const key = options.queryKey;
  const query = useQuery(options);
  useSocketRoom(roomFor.run(id));

  // The last push, in case a fetch answered from a snapshot older than it.
  const pushed = useRef<{ run: RunRow; at: number } | null>(null);
  useEffect(() => {
    pushed.current = null;
    if (!socket) return;
    const onRun = (run: RunView) => {
      if (run.id !== id) return;
      pushed.current = { run, at: Date.now() };
      applyRun(qc, trpc, run);
    };
    socket.on("run:updated", onRun);
    return () => {
      socket.off("run:updated", onRun);
    };
  }, [socket, qc, trpc, id]);

  const fetching = useRef({ active: false, since: 0 });
  useEffect(() => {
    if (query.isFetching) fetching.current = { active: true, since: Date.now() };
  }, [query.isFetching]);
  useEffect(() => {
    if (!fetching.current.active || query.isFetching) return;
    fetching.current.active = false;
    const p = pushed.current;
    const data = query.data as RunRow | undefined;
    if (!p || !data || p.at < fetching.current.since) return;
    if (runProgress(p.run) > runProgress(data)) qc.setQueryData(key, (old: RunRow | undefined) => mergeRun(old, p.run) as typeof old);
    // `key` is derived from `id`.
  }, [query.dataUpdatedAt, query.isFetching, qc]);

  return { ...query, data: query.data as RunRow | undefined };
}

function useRunMutationOptions() {
  const trpc = useTRPC();
  const qc = useQueryClient();
  return { trpc, onSuccess: (run: RunRow) => applyRun(qc, trpc, run) };
}

/** Starts a run of a template; the answer seeds the run's detail so its page opens at once. */
export function useStartRun() {
  const { trpc, onSuccess } = useRunMutationOptions();
  return useMutation(trpc.runs.start.mutationOptions({ onSuccess }));
}

export function useCancelRun() {
  const { trpc, onSuccess } = useRunMutationOptions();
  return useMutation(trpc.runs.cancel.mutationOptions({ onSuccess }));
}

/** Runs a failed, canceled or skipped step again, with everything downstream of it. */
export function useRerunStep() {
  const { trpc, onSuccess } = useRunMutationOptions();
  return useMutation(trpc.runs.rerun.mutationOptions({ onSuccess }));
}
