// Socket.IO namespace /dashboard: pushes domain events to browsers. Fleet-wide changes are
// coalesced and sent at most every BATCH_MS, so 500 agents heartbeating every 2 s cost a few
// messages a second, not hundreds; per-task logs and history go only to that task's room.
import type { Namespace, Server } from "socket.io";
import { roomFor, type DashboardClientToServer, type DashboardServerToClient } from "@/lib/dashboard-events";
import type { ServiceContext } from "@/server/services/context";
import { actorOf } from "@/server/auth/principal";
import { DASHBOARD_SOCKET_RULES, can } from "@/lib/policy";
import { SESSION_COOKIE, readCookie } from "@/server/auth/session";
import type { TaskState } from "@/server/core/scheduler";
import { summarizeRun, type RunSummary } from "@/lib/api";

const BATCH_MS = 250;
const ROOM = /^(task|agent|run|channel):[A-Za-z0-9_.:-]{1,64}$/;

const RECHECK_MS = 5_000;

export function attachDashboardSocket(io: Server, { services }: { services: ServiceContext }) {
  const nsp = io.of("/dashboard") as unknown as Namespace<DashboardClientToServer, DashboardServerToClient>;
  const deps = services.deps;
  const { coordinator } = deps;
  const views = services.views;

  /** A browser session (any role reads), or a token with read access in `auth.token`. */
  const allowed = async (socket: { handshake: { headers: { cookie?: string }; auth: unknown } }): Promise<string | null> => {
    const token = (socket.handshake.auth as { token?: unknown } | undefined)?.token;
    if (typeof token === "string") {
      const t = await deps.tokens.verify(token).catch(() => null);
      return t && can(actorOf({ kind: "token", token: t }), DASHBOARD_SOCKET_RULES.subscribe) ? null : "this token may not read";
    }
    const user = await deps.sessions.verify(readCookie(socket.handshake.headers.cookie, SESSION_COOKIE));
    return user && can({ kind: "user", role: user.role }, DASHBOARD_SOCKET_RULES.subscribe) ? null : "log in first";
  };

  nsp.use((socket, next) => {
    allowed(socket).then(
      (why) => next(why ? new Error(why) : undefined),
      () => next(new Error("authentication failed")),
    );
  });

  // A logout, a disabled user or a revoked token closes their live dashboards within seconds.
  const recheck = setInterval(() => {
    for (const socket of nsp.sockets.values()) void allowed(socket).then((why) => why && socket.disconnect(true));
  }, RECHECK_MS);
  recheck.unref();

  nsp.on("connection", (socket) => {
    void socket.join(roomFor.fleet);
    socket.emit("stats:updated", views.stats());
    socket.on("subscribe", async (room, joined) => {
      if (typeof room !== "string" || !ROOM.test(room)) return;
      await socket.join(room);
      // The tab refetches what it shows once this arrives: anything that changed between its
      // first fetch and now was pushed to a room it was not yet in.
      if (typeof joined === "function") joined();
      // A run page may have fetched before joining: send the run as it is now, once.
      if (room.startsWith("run:")) {
        deps.workflows.getRun(room.slice(4)).then(
          (run) => socket.emit("run:updated", run),
          () => {},
        );
      }
    });
    socket.on("unsubscribe", (room) => {
      if (typeof room === "string" && room !== roomFor.fleet) void socket.leave(room);
    });
  });

  const dirtyAgents = new Set<string>();
  const dirtyTasks = new Map<string, TaskState>();
  let statsDirty = false;
  coordinator.bus.on("agentsChanged", (ids) => {
    for (const id of ids) dirtyAgents.add(id);
    statsDirty = true;
  });
  coordinator.bus.on("agentsSampled", (ids) => {
    for (const id of ids) dirtyAgents.add(id);
  });
  coordinator.bus.on("tasksChanged", (tasks) => {
    for (const t of tasks) dirtyTasks.set(t.id, t);
    statsDirty = true;
  });
  /**
   * Per-object rooms: Socket.IO encodes a broadcast before it looks for listeners, so a room
   * nobody watches (most tasks, agents and runs, most of the time) is skipped before that.
   */
  const toWatched = (rooms: Iterable<string>) => {
    const watched = [...rooms].filter((r) => (nsp.adapter.rooms.get(r)?.size ?? 0) > 0);
    return watched.length ? nsp.to(watched) : null;
  };
  coordinator.bus.on("taskEventsRecorded", (events) => {
    for (const [taskId, list] of groupBy(events, (e) => e.taskId)) toWatched([roomFor.task(taskId)])?.emit("task:event", list);
  });
  coordinator.bus.on("taskLogsAppended", (lines) => {
    for (const [taskId, list] of groupBy(lines, (l) => l.taskId)) toWatched([roomFor.task(taskId)])?.emit("task:log", list);
  });

  const dirtyRuns = new Map<string, RunSummary>();
  deps.workflows.bus.on("runChanged", (run) => {
    toWatched([roomFor.run(run.id)])?.emit("run:updated", run);
    dirtyRuns.set(run.id, summarizeRun(run));
  });
  deps.messages.bus.on("sent", ({ message, fromAgentId, recipientIds, channel }) => {
    const rooms = new Set([...(fromAgentId ? [fromAgentId] : []), ...recipientIds].map((id) => roomFor.agent(id)));
    if (channel) rooms.add(roomFor.channel(channel));
    toWatched(rooms)?.emit("message:new", message);
  });
  coordinator.bus.on("incidentsRecorded", (list) => nsp.to(roomFor.fleet).emit("incidents:new", list));
  coordinator.bus.on("errorEvents", (list) => nsp.to(roomFor.fleet).emit("errors:changed", list));
  services.alerts.bus.on("alertsChanged", ({ firing, fired }) => nsp.to(roomFor.fleet).emit("alerts:changed", { firing, fired }));
  coordinator.bus.on("agentsForgotten", (ids) => {
    for (const id of ids) dirtyAgents.delete(id);
    nsp.to(roomFor.fleet).emit("agents:removed", ids);
  });
  deps.workflows.bus.on("approvalsChanged", (n) => nsp.to(roomFor.fleet).emit("approvals:changed", n));

  const timer = setInterval(() => {
    // Nobody watches: build no views (a tab that connects later fetches what it shows).
    if (nsp.sockets.size === 0) {
      dirtyRuns.clear();
      dirtyAgents.clear();
      dirtyTasks.clear();
      statsDirty = false;
      return;
    }
    if (dirtyRuns.size) {
      nsp.to(roomFor.fleet).emit("runs:patch", [...dirtyRuns.values()]);
      dirtyRuns.clear();
    }
    if (dirtyAgents.size) {
      const agents = [...dirtyAgents].map((id) => coordinator.agent(id)).filter((a) => !!a).map((a) => views.agent(a));
      dirtyAgents.clear();
      nsp.to(roomFor.fleet).emit("agents:patch", agents);
    }
    if (dirtyTasks.size) {
      const tasks = [...dirtyTasks.values()].map((t) => views.task(t));
      dirtyTasks.clear();
      nsp.to(roomFor.fleet).emit("tasks:patch", tasks);
    }
    // Rates move with time even when nothing changes; refresh them every batch while anyone watches.
    if (statsDirty || nsp.sockets.size > 0) {
      statsDirty = false;
      if (nsp.sockets.size > 0) nsp.to(roomFor.fleet).emit("stats:updated", views.stats());
    }
  }, BATCH_MS);
  timer.unref?.();
  return {
    nsp,
    close: () => {
      clearInterval(timer);
      clearInterval(recheck);
    },
  };
}

function groupBy<T>(items: T[], key: (t: T) => string): Map<string, T[]> {
  const m = new Map<string, T[]>();
  for (const i of items) {
    const k = key(i);
    const l = m.get(k);
    if (l) l.push(i);
    else m.set(k, [i]);
  }
  return m;
}
