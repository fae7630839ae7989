// Shapes the dashboard reads (tRPC outputs and /dashboard socket payloads). Times are epoch ms.
import type { Capability, AgentKind, TaskStatus, Strategy, LogStream } from "./protocol";
import type { TokenScope } from "./policy";

export type AgentStatus = "online" | "busy" | "draining" | "offline";

export interface ResourceSample {
  at: number;
  cpu: number;
  memoryMb: number;
}

export interface AgentView {
  id: string;
  name: string;
  kind: AgentKind;
  status: AgentStatus;
  capabilities: Capability[];
  labels: Record<string, string>;
  slots: number;
  slotsUsed: number;
  currentTasks: { id: string; title: string }[];
  version: string;
  cpu: number | null;
  memoryMb: number | null;
  lastHeartbeatAt: number | null;
  connectedAt: number | null;
  /** healthy → unhealthy (missed heartbeats, stuck work) → offline, and why. */
  health: "healthy" | "unhealthy" | "offline";
  healthReason: string | null;
  draining: boolean;
  /** Recent heartbeats, oldest first, for sparklines. */
  samples: ResourceSample[];
}

export interface TaskView {
  id: string;
  title: string;
  command: string | null;
  payload: unknown;
  requirements: Capability[];
  labelSelector: Record<string, string>;
  priority: number;
  strategy: Strategy | null;
  status: TaskStatus;
  attempt: number;
  maxAttempts: number;
  agentId: string | null;
  agentName: string | null;
  progress: number | null;
  result: unknown;
  error: string | null;
  timeoutMs: number | null;
  progressTimeoutMs: number | null;
  queueTimeoutMs: number | null;
  idempotencyKey: string | null;
  /** Set when the task is a step of a workflow run. */
  runId: string | null;
  stepId: string | null;
  createdAt: number;
  assignedAt: number | null;
  startedAt: number | null;
  finishedAt: number | null;
  notBefore: number | null;
  leaseExpiresAt: number | null;
}

export type TaskEventType =
  | "submitted"
  | "assigned"
  | "started"
  | "progress"
  | "succeeded"
  | "failed"
  | "attempt_failed"
  | "retry_scheduled"
  | "dead"
  | "canceled"
  | "lease_expired"
  | "released"
  | "report_rejected"
  | "requeued"
  | "stuck";

export interface TaskEventView {
  id: number;
  taskId: string;
  at: number;
  type: TaskEventType;
  attempt: number;
  agentId: string | null;
  agentName: string | null;
  message: string | null;
}

export interface TaskLogLine {
  taskId: string;
  attempt: number;
  at: number;
  stream: LogStream;
  line: string;
}

export type WaitingCode = "backoff" | "no_capable_agent" | "label_mismatch" | "agents_offline" | "all_busy" | "queued_behind" | "ready";

/** "Why is this task waiting?" — one true sentence plus the facts behind it. */
export interface WaitingExplanation {
  code: WaitingCode;
  message: string;
}

export interface FleetStats {
  agents: { total: number; online: number; busy: number; draining: number; offline: number };
  tasks: { queued: number; assigned: number; running: number };
  /** Tasks that finished in the last minute. */
  tasksPerMinute: number;
  /** Failed or dead, over all that finished in the last 5 minutes (0..1). */
  failureRate: number;
  at: number;
}

export interface TokenView {
  id: string;
  name: string;
  prefix: string;
  scope: TokenScope;
  createdAt: number;
  lastUsedAt: number | null;
  expiresAt: number | null;
  revokedAt: number | null;
}

export type IncidentKind =
  | "agent_lost"
  | "agent_unhealthy"
  | "agent_recovered"
  | "task_stuck"
  | "task_retried"
  | "task_dead"
  | "task_timed_out"
  | "queue_timeout"
  | "server_restarted";

export interface IncidentView {
  id: number;
  at: number;
  kind: IncidentKind;
  agentId: string | null;
  agentName: string | null;
  taskId: string | null;
  message: string;
}

/** A dead task with the error of every attempt, for the dead-letter view. */
export interface DeadLetterView {
  task: TaskView;
  attempts: { attempt: number; at: number; type: TaskEventType; agentName: string | null; message: string | null }[];
}
