// Every enumeration of the API, defined once: the server, the dashboard, the SDK, the CLI and
// the OpenAPI document all take their values (and their TypeScript types) from here.
import { z } from "zod";

export const taskStatusSchema = z.enum(["queued", "assigned", "running", "succeeded", "failed", "canceled", "dead"]).meta({ id: "TaskStatus" });
export type TaskStatus = z.infer<typeof taskStatusSchema>;
export const TASK_STATUSES: readonly TaskStatus[] = taskStatusSchema.options;
/** The statuses a task ends in; a task reaches one of them exactly once per life. */
export const TERMINAL_STATUSES: readonly TaskStatus[] = ["succeeded", "failed", "canceled", "dead"];
export const isTerminal = (s: TaskStatus) => TERMINAL_STATUSES.includes(s);

export const strategySchema = z.enum(["least-loaded", "round-robin", "resource-aware", "performance-weighted"]).meta({ id: "Strategy" });
export type Strategy = z.infer<typeof strategySchema>;

export const agentKindSchema = z.enum(["sdk", "http", "legacy", "mcp"]).meta({ id: "AgentKind" });
export type AgentKind = z.infer<typeof agentKindSchema>;

export const agentStatusSchema = z.enum(["online", "busy", "draining", "offline"]).meta({ id: "AgentStatus" });
export type AgentStatus = z.infer<typeof agentStatusSchema>;
export const AGENT_STATUSES: readonly AgentStatus[] = agentStatusSchema.options;

/** healthy → unhealthy (missed heartbeats, stuck work) → offline (gone). */
export const agentHealthSchema = z.enum(["healthy", "unhealthy", "offline"]).meta({ id: "AgentHealth" });
export type AgentHealth = z.infer<typeof agentHealthSchema>;

export const logStreamSchema = z.enum(["stdout", "stderr", "info"]).meta({ id: "LogStream" });
export type LogStream = z.infer<typeof logStreamSchema>;

export const taskEventTypeSchema = z
  .enum([
    "submitted",
    "assigned",
    "started",
    "progress",
    "succeeded",
    "failed",
    "attempt_failed",
    "retry_scheduled",
    "dead",
    "canceled",
    "lease_expired",
    "released",
    "report_rejected",
    "requeued",
    "stuck",
  ])
  .meta({ id: "TaskEventType" });
export type TaskEventType = z.infer<typeof taskEventTypeSchema>;

export const waitingCodeSchema = z
  .enum(["backoff", "no_capable_agent", "label_mismatch", "not_accepted", "agents_offline", "all_busy", "queued_behind", "ready"])
  .meta({ id: "WaitingCode" });
export type WaitingCode = z.infer<typeof waitingCodeSchema>;

export const incidentKindSchema = z
  .enum([
    "agent_lost",
    "agent_unhealthy",
    "agent_recovered",
    "agent_forgotten",
    "task_stuck",
    "task_retried",
    "task_dead",
    "task_timed_out",
    "queue_timeout",
    "server_restarted",
  ])
  .meta({ id: "IncidentKind" });
export type IncidentKind = z.infer<typeof incidentKindSchema>;

export const runStatusSchema = z.enum(["running", "succeeded", "failed", "canceled"]).meta({ id: "RunStatus" });
export type RunStatus = z.infer<typeof runStatusSchema>;
export const RUN_STATUSES: readonly RunStatus[] = runStatusSchema.options;

export const stepStatusSchema = z
  .enum([
    "pending", // waiting for dependencies
    "queued", // its task is queued (or the step waits for the run's concurrency cap)
    "running",
    "waiting_approval",
    "succeeded",
    "failed",
    "skipped", // will not run: an upstream step failed, or the run failed fast
    "canceled",
  ])
  .meta({ id: "StepStatus" });
export type StepStatus = z.infer<typeof stepStatusSchema>;
export const STEP_STATUSES: readonly StepStatus[] = stepStatusSchema.options;

export const stepTypeSchema = z.enum(["task", "check", "approval"]).meta({ id: "StepType" });
export type StepType = z.infer<typeof stepTypeSchema>;

export const failurePolicySchema = z.enum(["fail-fast", "continue"]).meta({ id: "FailurePolicy" });
export type FailurePolicy = z.infer<typeof failurePolicySchema>;

export const roleSchema = z.enum(["admin", "operator", "viewer"]).meta({ id: "Role" });
export type Role = z.infer<typeof roleSchema>;

export const tokenScopeSchema = z.enum(["agent", "submit", "read", "admin"]).meta({ id: "TokenScope" });
export type TokenScope = z.infer<typeof tokenScopeSchema>;

export const auditOutcomeSchema = z.enum(["ok", "denied", "failed"]).meta({ id: "AuditOutcome" });
export type AuditOutcome = z.infer<typeof auditOutcomeSchema>;

export const importanceSchema = z.enum(["low", "normal", "high", "urgent"]).meta({ id: "Importance" });
export type Importance = z.infer<typeof importanceSchema>;

export const errorCodeSchema = z
  .enum(["BAD_REQUEST", "UNAUTHORIZED", "FORBIDDEN", "NOT_FOUND", "CONFLICT", "STALE_ATTEMPT", "PAYLOAD_TOO_LARGE", "RATE_LIMITED", "UNAVAILABLE", "INTERNAL"])
  .meta({ id: "ErrorCode" });
export type ErrorCode = z.infer<typeof errorCodeSchema>;
