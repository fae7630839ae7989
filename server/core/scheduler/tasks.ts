// The life of a task outside its attempts: submitted, restored from the store, canceled, or
// requeued by an operator for a new life; and the read side over live tasks (why one waits, how
// many are in each state). Attempts themselves are attempts.ts.
import type { WaitingExplanation } from "@/lib/api";
import { explainWaiting } from "../waiting";
import { finish } from "./attempts";
import { agentStatus } from "./registry";
import { enqueue, now, record, reject, touch, type NewTask, type Outcome, type SchedulerState, type TaskState } from "./state";

export function submit(s: SchedulerState, spec: NewTask): TaskState {
  const at = now(s);
  const t: TaskState = {
    id: spec.id,
    title: spec.title,
    command: spec.command ?? null,
    payload: spec.payload ?? null,
    requirements: spec.requirements ?? [],
    labelSelector: spec.labelSelector ?? {},
    priority: spec.priority ?? 0,
    strategy: spec.strategy ?? null,
    status: "queued",
    attempt: 0,
    failures: 0,
    maxAttempts: spec.maxAttempts ?? 3,
    backoffMs: spec.backoffMs ?? 1000,
    timeoutMs: spec.timeoutMs ?? null,
    progressTimeoutMs: spec.progressTimeoutMs ?? null,
    queueTimeoutMs: spec.queueTimeoutMs ?? null,
    lastProgressAt: null,
    queuedAt: null,
    notBefore: null,
    leaseExpiresAt: null,
    agentId: null,
    avoidAgentIds: [],
    idempotencyKey: spec.idempotencyKey ?? null,
    runId: spec.runId ?? null,
    stepId: spec.stepId ?? null,
    template: spec.template ?? null,
    submittedBy: spec.submittedBy ?? null,
    progress: null,
    result: null,
    error: null,
    createdAt: at,
    assignedAt: null,
    startedAt: null,
    finishedAt: null,
    updatedAt: at,
  };
  s.tasks.set(t.id, t);
  enqueue(s, t);
  record(s, t, "submitted", null);
  return t;
}

/** Puts a task rebuilt from the store back under management (start-up recovery, operator retry). */
export function restore(s: SchedulerState, t: TaskState) {
  s.tasks.set(t.id, t);
  if (t.status === "queued") {
    enqueue(s, t);
  } else if (t.status === "assigned" || t.status === "running") {
    const a = t.agentId ? s.agents.get(t.agentId) : undefined;
    if (a) {
      a.tasks.add(t.id);
      // After a restart every agent reconnects at once, with backoff: give holders a grace
      // period (at least one lease) to come back before their work is retried elsewhere.
      t.leaseExpiresAt = now(s) + Math.max(s.opts.leaseTtlMs, s.opts.restoreGraceMs ?? 0);
      t.lastProgressAt = now(s);
    } else {
      // Nobody could ever renew or expire this lease: give the task back to the queue.
      record(s, t, "released", `holder ${t.agentId ?? "(none)"} is unknown after a restart`);
      Object.assign(t, { status: "queued", agentId: null, leaseExpiresAt: null, startedAt: null, assignedAt: null, progress: null });
      touch(s, t);
      enqueue(s, t);
    }
  }
}

export function cancel(s: SchedulerState, taskId: string, reason: string): Outcome<TaskState> {
  const t = s.tasks.get(taskId);
  if (!t) return reject("NOT_FOUND", `task ${taskId} is not active (it may have finished already)`);
  const agentId = t.agentId;
  if (t.status === "assigned" || t.status === "running") {
    s.out.cancels.push({ agentId: agentId!, taskId, attempt: t.attempt, reason });
  }
  finish(s, t, "canceled", { error: reason }, "canceled", reason);
  return { ok: true, value: t };
}

/** An operator's retry of a finished task: a new life with a fresh attempt budget. */
export function requeue(s: SchedulerState, t: TaskState, reason: string): TaskState {
  const at = now(s);
  Object.assign(t, {
    status: "queued",
    failures: 0,
    notBefore: null,
    leaseExpiresAt: null,
    agentId: null,
    avoidAgentIds: [],
    progress: null,
    result: null,
    error: null,
    assignedAt: null,
    startedAt: null,
    finishedAt: null,
    updatedAt: at,
  } satisfies Partial<TaskState>);
  s.tasks.set(t.id, t);
  enqueue(s, t);
  record(s, t, "requeued", reason);
  return t;
}

export function explain(s: SchedulerState, taskId: string): WaitingExplanation | null {
  const t = s.tasks.get(taskId);
  if (!t || t.status !== "queued") return null;
  return explainWaiting(t, [...s.agents.values()], {
    now: now(s),
    status: agentStatus,
    ahead: s.ready.has(t.id) ? s.ready.positionOf(t.id) : 0,
  });
}

export function counts(s: SchedulerState) {
  let queued = 0,
    assigned = 0,
    running = 0;
  for (const t of s.tasks.values()) {
    if (t.status === "queued") queued++;
    else if (t.status === "assigned") assigned++;
    else if (t.status === "running") running++;
  }
  return { queued, assigned, running };
}

/**
 * Takes a task out of the live state as if it had never been submitted — for one the store
 * refused to keep (the coordinator's poison handling): no history, no outbox entries. If the
 * pass that refused it also assigned it, the agent's slot is freed.
 */
export function dropTask(s: SchedulerState, taskId: string) {
  const t = s.tasks.get(taskId);
  if (!t) return;
  s.ready.remove(t.id);
  if (t.agentId) s.agents.get(t.agentId)?.tasks.delete(t.id);
  s.tasks.delete(t.id);
  s.out.tasks.delete(t.id);
  s.out.history = s.out.history.filter((h) => h.taskId !== t.id);
  s.out.assignments = s.out.assignments.filter((a) => a.assignment.taskId !== t.id);
}
