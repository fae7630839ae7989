"use client";
// Task queries and commands. Lists are patched by `useFleetSync`; a task's detail additionally
// joins the `task:<id>` room for its log lines and history while it is on screen.
import { useEffect, useMemo, useRef } from "react";
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { roomFor } from "@/lib/dashboard-events";
import type { FleetStats, TaskEventView, TaskLogLine } from "@/lib/api";
import { appendLogs, flattenTaskPages, mergeEvents, type TaskFilter } from "./cache-patches";
import { applyTasksPatch } from "./live-cache";
import { useSocket, useSocketRoom } from "./socket";
import { useTRPC } from "./trpc";

export const TASK_PAGE_SIZE = 50;

/** Newest-first tasks matching `filter`, a page at a time; rows update live. */
export function useTaskList(filter: TaskFilter) {
  const trpc = useTRPC();
  const input = useMemo(() => {
    const i: TaskFilter & { limit: number } = { limit: TASK_PAGE_SIZE };
    if (filter.status) i.status = filter.status;
    if (filter.agentId) i.agentId = filter.agentId;
    if (filter.search?.trim()) i.search = filter.search.trim();
    return i;
  }, [filter.status, filter.agentId, filter.search]);
  const query = useInfiniteQuery(
    trpc.tasks.find.infiniteQueryOptions(input, {
      getNextPageParam: (last) => last.nextCursor,
      // Keep showing the previous rows while a new filter loads.
      placeholderData: (prev) => prev,
    }),
  );
  const tasks = useMemo(() => (query.data ? flattenTaskPages(query.data.pages) : []), [query.data]);
  return { ...query, tasks };
}

/** How long to wait between refreshes of a queued task's "why waiting" explanation. */
const WAITING_REFRESH_MS = 3000;

/**
 * One task with its history, logs and — while queued — why it waits. Log lines and events are
 * appended as they are pushed; the explanation is refetched when the fleet's counts change.
 */
export function useTaskDetail(id: string) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const { socket } = useSocket();
  const options = trpc.tasks.get.queryOptions({ id });
  const key = options.queryKey;
  const query = useQuery(options);
  // Refetched once joined: a fast task can log and finish between the first fetch and the join.
  useSocketRoom(roomFor.task(id), () => void qc.invalidateQueries({ queryKey: key, exact: true }));

  // Pushes received recently, merged into every fetch result: a (re)fetch answered from a
  // snapshot taken before a push arrived would otherwise drop those lines.
  const pushed = useRef<{ logs: TaskLogLine[]; events: TaskEventView[] }>({ logs: [], events: [] });

  useEffect(() => {
    pushed.current = { logs: [], events: [] };
    if (!socket) return;
    const onLog = (lines: TaskLogLine[]) => {
      const mine = lines.filter((l) => l.taskId === id);
      if (mine.length === 0) return;
      pushed.current.logs = pushed.current.logs.concat(mine).slice(-2000);
      qc.setQueryData(key, (old) => (old ? { ...old, logs: appendLogs(old.logs, mine) } : old));
    };
    // A history entry means the task itself changed. The fleet-wide tasks:patch normally
    // brings the new state, but it can land before this query's first answer and be lost, so
    // a status-changing entry also refetches this one task (events are few; logs never do).
    let refetch: ReturnType<typeof setTimeout> | undefined;
    const onEvent = (events: TaskEventView[]) => {
      const mine = events.filter((e) => e.taskId === id);
      if (mine.length === 0) return;
      pushed.current.events = pushed.current.events.concat(mine).slice(-500);
      qc.setQueryData(key, (old) => (old ? { ...old, events: mergeEvents(old.events, mine) } : old));
      if (mine.some((e) => e.type !== "progress") && !refetch) {
        refetch = setTimeout(() => {
          refetch = undefined;
          void qc.invalidateQueries({ queryKey: key, exact: true });
        }, 150);
      }
    };
    socket.on("task:log", onLog);
    socket.on("task:event", onEvent);
    return () => {
      clearTimeout(refetch);
      socket.off("task:log", onLog);
      socket.off("task:event", onEvent);
    };
    // `key` is derived from `id`.
  }, [socket, qc, id]);

  const data = query.data;
  useEffect(() => {
    if (!data) return;
    const logs = appendLogs(data.logs, pushed.current.logs);
    const events = mergeEvents(data.events, pushed.current.events);
    if (logs !== data.logs || events !== data.events) qc.setQueryData(key, { ...data, logs, events });
  }, [query.dataUpdatedAt]);

  const status = data?.task.status;
  const notBefore = data?.task.notBefore ?? null;
  useEffect(() => {
    if (!socket || status !== "queued") return;
    let lastFingerprint = "";
    let lastRefresh = Date.now();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const refresh = () => {
      timer = undefined;
      lastRefresh = Date.now();
      void qc.invalidateQueries({ queryKey: key, exact: true });
    };
    const onStats = (s: FleetStats) => {
      const fingerprint = JSON.stringify([s.agents, s.tasks]);
      if (fingerprint === lastFingerprint) return;
      const first = lastFingerprint === "";
      lastFingerprint = fingerprint;
      if (first || timer) return;
      timer = setTimeout(refresh, Math.max(0, lastRefresh + WAITING_REFRESH_MS - Date.now()));
    };
    socket.on("stats:updated", onStats);
    // A task in backoff becomes eligible at `notBefore`: look again just after.
    const backoff = notBefore && notBefore > Date.now() ? setTimeout(refresh, notBefore - Date.now() + 300) : undefined;
    return () => {
      socket.off("stats:updated", onStats);
      clearTimeout(timer);
      clearTimeout(backoff);
    };
  }, [socket, qc, id, status, notBefore]);

  return query;
}

/** Cancels a non-terminal task; the answer updates every cached view of it. */
export function useCancelTask() {
  const trpc = useTRPC();
  const qc = useQueryClient();
  return useMutation(trpc.tasks.cancel.mutationOptions({ onSuccess: (task) => applyTasksPatch(qc, trpc, [task]) }));
}

/** Starts a failed, dead or canceled task again. */
export function useRetryTask() {
  const trpc = useTRPC();
  const qc = useQueryClient();
  return useMutation(trpc.tasks.retry.mutationOptions({ onSuccess: (task) => applyTasksPatch(qc, trpc, [task]) }));
}

/** Submits a task spec (taskSpecSchema's input); the new task appears in matching lists at once. */
export function useSubmitTask() {
  const trpc = useTRPC();
  const qc = useQueryClient();
  return useMutation(trpc.tasks.submit.mutationOptions({ onSuccess: (task) => applyTasksPatch(qc, trpc, [task]) }));
}
