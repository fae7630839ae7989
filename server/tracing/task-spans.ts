// The spans of one task life, planned from what the coordinator already records: the task's final
// state and its history entries (submitted, assigned, started, attempt_failed, …). Pure: no SDK,
// no clock; tracing.ts turns the plan into OpenTelemetry spans after the task ended.
//
//   task                    submit (or an operator's requeue) → terminal status
//   ├─ task.queue           each wait for an agent: submit/retry/release → assigned (or the end)
//   └─ task.attempt         each attempt: assigned → its end (succeeded, failed, lost, …)
//
// Building spans after the fact keeps the dispatch path free of tracing work, and makes the
// history — which is durable — the single source of truth: after a restart the same plan comes
// out of the stored history.
import type { Attributes, SpanContext } from "@opentelemetry/api";
import type { TaskEventType } from "@/lib/api";
import type { TaskState } from "@/server/core/scheduler";
import { attemptSpanIdOf, taskSpanIdOf, traceIdOf } from "./trace-ids";

/** A history entry as the planner needs it (a TaskEventView, or a stored one plus a name lookup). */
export interface TraceEvent {
  type: TaskEventType;
  at: number;
  attempt: number;
  agentId: string | null;
  agentName: string | null;
  message: string | null;
}

/** The history entries a plan reads; the rest (progress, rejected reports) is not kept in memory. */
export const PLANNED_EVENTS: ReadonlySet<TaskEventType> = new Set<TaskEventType>([
  "submitted",
  "requeued",
  "assigned",
  "started",
  "attempt_failed",
  "lease_expired",
  "stuck",
  "released",
  "retry_scheduled",
  "succeeded",
  "failed",
  "dead",
  "canceled",
]);

export interface PlannedSpan {
  name: "task" | "task.queue" | "task.attempt";
  /** Null: any id will do (nothing outside the plan refers to it). */
  spanId: string | null;
  start: number;
  end: number;
  attributes: Attributes;
  /** Set: the span's status is ERROR with this message. */
  error: string | null;
  events: { name: string; at: number; attributes?: Attributes }[];
}

export interface TaskTracePlan {
  traceId: string;
  /** The span the task span is a child of (the submitting request's), if still known. */
  parent: SpanContext | null;
  task: PlannedSpan & { spanId: string };
  children: PlannedSpan[];
}

/** How an attempt ended, by the history entry that ended it. */
const ATTEMPT_ENDS: Partial<Record<TaskEventType, string>> = {
  succeeded: "succeeded",
  attempt_failed: "failed",
  failed: "failed",
  lease_expired: "lease_expired",
  stuck: "stuck",
  dead: "dead",
  released: "released",
  canceled: "canceled",
};
/** Outcomes that are the attempt's fault (status ERROR); a release or a cancel is not. */
const FAILED_OUTCOMES = new Set(["failed", "lease_expired", "stuck", "dead"]);
const TERMINAL_EVENTS = new Set<TaskEventType>(["succeeded", "failed", "dead", "canceled"]);

const MESSAGE_CHARS = 1_000;
const clip = (s: string | null) => (s == null ? null : s.length > MESSAGE_CHARS ? `${s.slice(0, MESSAGE_CHARS - 1)}…` : s);

/**
 * Plans the spans of the task's current (last) life. `events` is its history oldest first; it may
 * start with earlier lives (the stored history), which are skipped. Entries that end an attempt
 * that is not open (a second entry for the same loss, a stale attempt) are ignored.
 */
export function planTaskSpans(task: Readonly<TaskState>, events: readonly TraceEvent[], parent: SpanContext | null): TaskTracePlan {
  let from = 0;
  for (let i = events.length - 1; i >= 0; i--) {
    if (events[i].type === "submitted" || events[i].type === "requeued") {
      from = i;
      break;
    }
  }
  const life = events.slice(from).filter((e) => PLANNED_EVENTS.has(e.type));
  const first = life[0];
  const requeued = first?.type === "requeued";
  const lifeStart = first && (first.type === "submitted" || requeued) ? first.at : task.createdAt;
  const end = Math.max(task.finishedAt ?? life.at(-1)?.at ?? task.updatedAt, lifeStart);

  const children: PlannedSpan[] = [];
  const taskEvents: PlannedSpan["events"] = [];
  let attempts = 0;
  let queue: { from: number; after: string } | null = { from: lifeStart, after: requeued ? "requeue" : "submit" };
  let open: { attempt: number; agentId: string | null; agentName: string | null; start: number; startedAt: number | null } | null = null;

  const closeQueue = (at: number, outcome: string, attempt: number | null) => {
    if (!queue) return;
    children.push({
      name: "task.queue",
      spanId: null,
      start: queue.from,
      end: Math.max(at, queue.from),
      attributes: {
        "switchboard.task.id": task.id,
        "switchboard.queue.after": queue.after,
        "switchboard.queue.outcome": outcome,
        ...(attempt != null ? { "switchboard.attempt": attempt } : {}),
      },
      error: null,
      events: [],
    });
    queue = null;
  };

  for (const e of life) {
    if (e.type === "assigned") {
      closeQueue(e.at, "assigned", e.attempt);
      attempts++;
      open = { attempt: e.attempt, agentId: e.agentId, agentName: e.agentName, start: e.at, startedAt: null };
      continue;
    }
    if (e.type === "started") {
      if (open && open.attempt === e.attempt) open.startedAt ??= e.at;
      continue;
    }
    if (e.type === "retry_scheduled") {
      taskEvents.push({ name: "retry_scheduled", at: e.at, attributes: { "switchboard.message": clip(e.message) ?? "" } });
      continue;
    }
    const outcome = ATTEMPT_ENDS[e.type];
    if (outcome && open && open.attempt === e.attempt) {
      const failed = FAILED_OUTCOMES.has(outcome);
      children.push({
        name: "task.attempt",
        spanId: attemptSpanIdOf(task.id, open.attempt),
        start: open.start,
        end: Math.max(e.at, open.start),
        attributes: {
          "switchboard.task.id": task.id,
          "switchboard.attempt": open.attempt,
          "switchboard.attempt.outcome": outcome,
          ...(open.agentId ? { "switchboard.agent.id": open.agentId } : {}),
          ...(open.agentName ? { "switchboard.agent.name": open.agentName } : {}),
          ...(e.message && outcome !== "succeeded" ? { "switchboard.attempt.message": clip(e.message)! } : {}),
        },
        error: failed ? (clip(e.message) ?? outcome) : null,
        events: open.startedAt != null ? [{ name: "started", at: open.startedAt }] : [],
      });
      open = null;
      // After a lost attempt the task waits again (or ends right here, at the same instant).
      if (!TERMINAL_EVENTS.has(e.type)) queue = { from: e.at, after: e.type === "released" ? "release" : "retry" };
      continue;
    }
    if (TERMINAL_EVENTS.has(e.type) && queue) {
      // Ended while waiting: canceled, a queue timeout, or retries exhausted after a loss. A
      // zero-length wait right after a lost attempt is that loss, not a wait: no span for it.
      const q = queue as { from: number };
      if (attempts === 0 || e.at > q.from) closeQueue(e.at, e.type, null);
      else queue = null;
    }
  }
  // A history cut short (a trimmed store read) still ends every span at the task's end.
  if (open) {
    const o = open as NonNullable<typeof open>;
    children.push({
      name: "task.attempt",
      spanId: attemptSpanIdOf(task.id, o.attempt),
      start: o.start,
      end: Math.max(end, o.start),
      attributes: { "switchboard.task.id": task.id, "switchboard.attempt": o.attempt, "switchboard.attempt.outcome": task.status, ...(o.agentId ? { "switchboard.agent.id": o.agentId } : {}), ...(o.agentName ? { "switchboard.agent.name": o.agentName } : {}) },
      error: task.status === "succeeded" || task.status === "canceled" ? null : task.status,
      events: [],
    });
  }
  closeQueue(end, task.status, null);

  const failed = task.status === "failed" || task.status === "dead";
  return {
    traceId: parent?.traceId ?? traceIdOf(task.id),
    parent,
    task: {
      name: "task",
      spanId: taskSpanIdOf(task.id, lifeStart),
      start: lifeStart,
      end,
      attributes: taskAttributes(task, attempts),
      error: failed ? (clip(task.error) ?? task.status) : null,
      events: taskEvents,
    },
    children,
  };
}

function taskAttributes(t: Readonly<TaskState>, attempts: number): Attributes {
  const a: Attributes = {
    "switchboard.task.id": t.id,
    "switchboard.task.title": t.title.slice(0, 200),
    "switchboard.task.status": t.status,
    "switchboard.task.attempts": attempts,
    "switchboard.task.failures": t.failures,
    "switchboard.task.max_attempts": t.maxAttempts,
    "switchboard.task.priority": t.priority,
    "switchboard.task.requires": t.requirements.map((r) => `${r.name}:${r.level}`),
  };
  const labels = Object.entries(t.labelSelector);
  if (labels.length) a["switchboard.task.labels"] = labels.map(([k, v]) => `${k}=${v}`);
  if (t.strategy) a["switchboard.task.strategy"] = t.strategy;
  if (t.submittedBy) a["switchboard.task.submitted_by"] = `${t.submittedBy.kind}:${t.submittedBy.name}`;
  if (t.runId) a["switchboard.workflow.run_id"] = t.runId;
  if (t.stepId) a["switchboard.workflow.step_id"] = t.stepId;
  if (t.template) a["switchboard.workflow.template"] = t.template;
  if (t.error && t.status !== "succeeded") a["switchboard.task.error"] = clip(t.error)!;
  return a;
}

/** Whether this history entry ends the task's life (the plan can be made once it is recorded). */
export const endsLife = (e: { type: TaskEventType }) => TERMINAL_EVENTS.has(e.type);
