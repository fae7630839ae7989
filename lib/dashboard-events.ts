// Socket.IO /dashboard namespace: what the server pushes to browsers, and the rooms they join.
// Fleet-wide updates are coalesced by the server (at most a few batches a second) so a grid of
// 500 agents heartbeating every 2 s stays cheap to render.
import type { AgentView, FleetStats, TaskEventView, TaskLogLine, TaskView } from "./views";

export interface DashboardServerToClient {
  /** Changed agents since the last batch (room `fleet`). */
  "agents:patch": (agents: AgentView[]) => void;
  /** Changed tasks since the last batch (room `fleet`). */
  "tasks:patch": (tasks: TaskView[]) => void;
  "stats:updated": (stats: FleetStats) => void;
  /** New log lines of one task (room `task:<id>`). */
  "task:log": (lines: TaskLogLine[]) => void;
  /** New history entries of one task (room `task:<id>`). */
  "task:event": (events: TaskEventView[]) => void;
}

export interface DashboardClientToServer {
  /** Join `task:<id>` or `agent:<id>`; the fleet room is joined on connect. */
  subscribe: (room: string) => void;
  unsubscribe: (room: string) => void;
}

export const roomFor = {
  fleet: "fleet",
  task: (id: string) => `task:${id}`,
  agent: (id: string) => `agent:${id}`,
} as const;
