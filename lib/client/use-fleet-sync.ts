"use client";
// Keeps the cache live: one set of socket listeners for the whole app (mounted by <Providers>)
// patches agent lists, task lists, task and agent details, dead letters, the fleet stats, run
// lists, the pending-approvals count, the incident timelines and counts, and error groups (a
// refetch) from the `fleet` room, and refetches what was loaded before the socket (re)connected, since pushes sent while
// it was down are gone.
import { useEffect } from "react";
import { notifyManager, useQueryClient } from "@tanstack/react-query";
import { useSocket } from "./socket";
import { useTRPC } from "./trpc";
import { applyAgentsPatch, applyAgentsRemoved, applyApprovalsChanged, applyIncidents, applyRunsPatch, applyStats, applyTasksPatch } from "./live-cache";

/**
 * Pushes applied once per animation frame, in arrival order, under one notification batch: the
 * server sends agents, tasks and stats as separate frames of the same batch (and more under
 * load), and each applied on its own would re-render every list that shows them. A hidden tab
 * gets no frames, so a timer stands in for it.
 */
function frameQueue() {
  let queued: (() => void)[] = [];
  let scheduled = false;
  const flush = () => {
    scheduled = false;
    const run = queued;
    queued = [];
    notifyManager.batch(() => {
      for (const apply of run) apply();
    });
  };
  return (apply: () => void) => {
    queued.push(apply);
    if (scheduled) return;
    scheduled = true;
    if (typeof document !== "undefined" && document.visibilityState === "hidden") setTimeout(flush, 100);
    else requestAnimationFrame(flush);
  };
}

export function useFleetSync() {
  const { socket, connection } = useSocket();
  const qc = useQueryClient();
  const trpc = useTRPC();

  useEffect(() => {
    if (!socket) return;
    const later = frameQueue();
    const onAgents = (agents: Parameters<typeof applyAgentsPatch>[2]) => later(() => applyAgentsPatch(qc, trpc, agents));
    const onTasks = (tasks: Parameters<typeof applyTasksPatch>[2]) => later(() => applyTasksPatch(qc, trpc, tasks));
    const onStats = (stats: Parameters<typeof applyStats>[2]) => later(() => applyStats(qc, trpc, stats));
    const onRuns = (runs: Parameters<typeof applyRunsPatch>[2]) => later(() => applyRunsPatch(qc, trpc, runs));
    const onApprovals = (pending: number) => later(() => applyApprovalsChanged(qc, trpc, pending));
    const onIncidents = (incidents: Parameters<typeof applyIncidents>[2]) => later(() => applyIncidents(qc, trpc, incidents));
    const onRemoved = (ids: string[]) => later(() => applyAgentsRemoved(qc, trpc, ids));
    // Error lists are aggregates the server computes: a new, returning or spiking group refetches them.
    const onErrors = () => void qc.invalidateQueries({ queryKey: trpc.insight.errors.pathKey() });
    const onAlerts = () => void qc.invalidateQueries({ queryKey: trpc.alerts.pathKey() });
    socket.on("agents:patch", onAgents);
    socket.on("agents:removed", onRemoved);
    socket.on("tasks:patch", onTasks);
    socket.on("stats:updated", onStats);
    socket.on("runs:patch", onRuns);
    socket.on("approvals:changed", onApprovals);
    socket.on("incidents:new", onIncidents);
    socket.on("errors:changed", onErrors);
    socket.on("alerts:changed", onAlerts);
    return () => {
      socket.off("agents:patch", onAgents);
      socket.off("agents:removed", onRemoved);
      socket.off("tasks:patch", onTasks);
      socket.off("stats:updated", onStats);
      socket.off("runs:patch", onRuns);
      socket.off("approvals:changed", onApprovals);
      socket.off("incidents:new", onIncidents);
      socket.off("errors:changed", onErrors);
      socket.off("alerts:changed", onAlerts);
    };
  }, [socket, qc, trpc]);

  useEffect(() => {
    if (connection === 0) return;
    const now = Date.now();
    // Data fetched before this connection may have missed pushes; data fetched after is current.
    void qc.invalidateQueries({ predicate: (q) => q.state.dataUpdatedAt > 0 && q.state.dataUpdatedAt < now });
  }, [connection, qc]);
}
