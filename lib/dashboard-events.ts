// Socket.IO /dashboard namespace: what the server pushes to browsers, and the rooms they join.
// Fleet-wide updates are coalesced by the server (at most a few batches a second) so a grid of
// 500 agents heartbeating every 2 s stays cheap to render.
import type { IncidentView, AgentView, ErrorEventView, FleetStats, TaskEventView, TaskLogLine, TaskView, RunSummary, RunView } from "./api";
import type { ConversationMessage } from "./messaging";

export interface AlertsChangedPush {
  firing: number;
  fired: { fingerprint: string; name: string; severity: string; summary: string }[];
}

export interface DashboardServerToClient {
  /** Changed agents since the last batch (room `fleet`). */
  "agents:patch": (agents: AgentView[]) => void;
  /** Agents forgotten for good: drop them (room `fleet`). */
  "agents:removed": (agentIds: string[]) => void;
  /** Changed tasks since the last batch (room `fleet`). */
  "tasks:patch": (tasks: TaskView[]) => void;
  "stats:updated": (stats: FleetStats) => void;
  /** New log lines of one task (room `task:<id>`). */
  "task:log": (lines: TaskLogLine[]) => void;
  /** New history entries of one task (room `task:<id>`). */
  "task:event": (events: TaskEventView[]) => void;
  /** Changed workflow runs since the last batch (room `fleet`). */
  "runs:patch": (runs: RunSummary[]) => void;
  /** The whole run with its steps, whenever it changes (room `run:<id>`). */
  "run:updated": (run: RunView) => void;
  /** Incidents as they are recorded (room `fleet`): agent lost, task retried or dead, server restarted… */
  "incidents:new": (incidents: IncidentView[]) => void;
  /** Error groups that appeared, came back after being resolved, or spiked (room `fleet`). */
  "errors:changed": (events: ErrorEventView[]) => void;
  /** An alert changed phase or was acknowledged (room `fleet`): how many fire now, unsilenced, and which were just announced. */
  "alerts:changed": (change: AlertsChangedPush) => void;
  /** How many approval gates wait for a decision now (room `fleet`). */
  "approvals:changed": (pending: number) => void;
  /** A message sent by or to the agent (room `agent:<id>`), or on a channel (room `channel:<name>`). */
  "message:new": (m: ConversationMessage) => void;
}

export interface DashboardClientToServer {
  /** Join `task:<id>` or `agent:<id>`; the fleet room is joined on connect. */
  /** `joined` is called once the server has joined the room: pushes after it reach this tab. */
  subscribe: (room: string, joined?: () => void) => void;
  unsubscribe: (room: string) => void;
}

export const roomFor = {
  fleet: "fleet",
  task: (id: string) => `task:${id}`,
  agent: (id: string) => `agent:${id}`,
  run: (id: string) => `run:${id}`,
  channel: (name: string) => `channel:${name}`,
} as const;
