// Attempts and their leases. An assignment starts an attempt and bumps `attempt`, the fencing
// token; every report from an agent (accept, progress, complete, fail, release) is checked by
// `held` against the holder and the attempt it names, so a holder whose lease expired can no
// longer touch the task. An attempt ends here too: lost (retry with backoff or give up) or
// finished (the task's one terminal status, after which it leaves memory).
import type { Assignment, TaskStatus } from "@/lib/protocol";
import type { TaskEventType } from "@/lib/api";
import { backoffDelay } from "../retry";
import { observe } from "./performance";
import { ttl, unstick } from "./registry";
import { enqueue, incident, now, ok, record, reject, touch, type AgentState, type Outcome, type SchedulerState, type TaskState } from "./state";

/** Gives a task to an agent: a new attempt, leased for the agent's TTL. */
export function assign(s: SchedulerState, t: TaskState, a: AgentState) {
  const at = now(s);
  t.status = "assigned";
  t.attempt += 1;
  t.agentId = a.id;
  t.assignedAt = at;
  t.startedAt = null;
  t.progress = null;
  t.leaseExpiresAt = at + ttl(s, a);
  a.tasks.add(t.id);
  if (a.pull) a.awaitingClaim = false;
  touch(s, t);
  s.out.agents.add(a.id);
  record(s, t, "assigned", `assigned to ${a.name}`, a.id);
  s.out.assignments.push({ agentId: a.id, assignment: assignmentOf(t) });
}

/** The fencing check: the task is live, held by this agent, under this attempt. */
function held(s: SchedulerState, agentId: string, taskId: string, attempt: number): Outcome<TaskState> {
  const t = s.tasks.get(taskId);
  if (!t || t.agentId !== agentId || t.attempt !== attempt || (t.status !== "assigned" && t.status !== "running")) {
    const why = !t
      ? "it is no longer active"
      : t.agentId !== agentId
        ? "it is not assigned to this agent"
        : t.attempt !== attempt
          ? `attempt ${attempt} was superseded by attempt ${t.attempt}`
          : `it is ${t.status}`;
    if (t) record(s, t, "report_rejected", `stale report from ${agentId} for attempt ${attempt}: ${why}`, agentId, attempt);
    return reject("STALE_ATTEMPT", `report rejected for task ${taskId} attempt ${attempt}: ${why}`);
  }
  return { ok: true, value: t };
}

export function accept(s: SchedulerState, agentId: string, taskId: string, attempt: number): Outcome {
  const h = held(s, agentId, taskId, attempt);
  if (!h.ok) return h;
  const t = h.value;
  if (t.status === "running") return ok; // repeated accept after a reconnect
  t.status = "running";
  t.startedAt = now(s);
  t.lastProgressAt = now(s);
  t.leaseExpiresAt = now(s) + ttl(s, s.agents.get(agentId)!);
  touch(s, t);
  record(s, t, "started", null);
  return ok;
}

/** Any report of progress renews the lease and proves the attempt is not stuck. */
export function progress(s: SchedulerState, agentId: string, taskId: string, attempt: number, percent?: number, message?: string): Outcome {
  const h = held(s, agentId, taskId, attempt);
  if (!h.ok) return h;
  const t = h.value;
  if (t.status === "assigned") {
    t.status = "running";
    t.startedAt = now(s);
    record(s, t, "started", null);
  }
  t.leaseExpiresAt = now(s) + ttl(s, s.agents.get(agentId)!);
  t.lastProgressAt = now(s);
  unstick(s, agentId);
  if (percent !== undefined || message !== undefined) {
    if (percent !== undefined) t.progress = percent;
    if (message) record(s, t, "progress", message);
    touch(s, t);
  }
  return ok;
}

export function complete(s: SchedulerState, agentId: string, taskId: string, attempt: number, result: unknown): Outcome {
  const h = held(s, agentId, taskId, attempt);
  if (!h.ok) return h;
  const t = h.value;
  observe(s, t, agentId, true);
  unstick(s, agentId);
  finish(s, t, "succeeded", { result: result ?? null, progress: 100 }, "succeeded", null);
  return ok;
}

export function fail(s: SchedulerState, agentId: string, taskId: string, attempt: number, error: string, retryable: boolean, result?: unknown): Outcome {
  const h = held(s, agentId, taskId, attempt);
  if (!h.ok) return h;
  const t = h.value;
  observe(s, t, agentId, false);
  t.result = result ?? null;
  attemptLost(s, t, error, retryable, "failed", "failed");
  return ok;
}

/** The agent hands a task back untouched; it is requeued and the attempt is not counted. */
export function release(s: SchedulerState, agentId: string, taskId: string, attempt: number, reason: string): Outcome {
  const h = held(s, agentId, taskId, attempt);
  if (!h.ok) return h;
  const t = h.value;
  record(s, t, "released", reason, agentId);
  unhold(s, t);
  t.status = "queued";
  t.progress = null;
  t.startedAt = null;
  t.assignedAt = null;
  touch(s, t);
  enqueue(s, t);
  return ok;
}

/** Frees the holder's slot. A finished task keeps `agentId` to show who ran it last. */
function unhold(s: SchedulerState, t: TaskState, keepAgent = false) {
  if (t.agentId) {
    s.agents.get(t.agentId)?.tasks.delete(t.id);
    s.out.agents.add(t.agentId);
  }
  t.leaseExpiresAt = null;
  if (!keepAgent) t.agentId = null;
}

/**
 * An attempt ended without success. Retry with backoff while the budget lasts; otherwise
 * end as `exhausted` (`failed` when the agent reported an error, `dead` when it was lost).
 */
export function attemptLost(s: SchedulerState, t: TaskState, error: string, retryable: boolean, exhausted: "failed" | "dead", eventType: "failed" | null) {
  const agentId = t.agentId;
  t.failures += 1;
  t.error = error;
  if (retryable && t.failures < t.maxAttempts) {
    // "attempt_failed", not "failed": in the history, `failed` always means the task ended.
    if (eventType) record(s, t, "attempt_failed", error, agentId);
    unhold(s, t);
    const delay = backoffDelay({ maxAttempts: t.maxAttempts, backoffMs: t.backoffMs }, t.failures + 1, s.random());
    t.status = "queued";
    t.notBefore = now(s) + delay;
    t.progress = null;
    touch(s, t);
    record(s, t, "retry_scheduled", `retry ${t.failures + 1} of ${t.maxAttempts} in ${delay} ms`, null);
    incident(s, "task_retried", `${t.title}: ${error}; retry ${t.failures + 1} of ${t.maxAttempts}`, agentId, t.id);
    enqueue(s, t);
  } else {
    const why = retryable ? `${error} (attempt ${t.failures} of ${t.maxAttempts}, no retries left)` : error;
    if (exhausted === "dead") incident(s, "task_dead", `${t.title}: ${why}`, agentId, t.id);
    finish(s, t, exhausted, { error }, exhausted, why);
  }
}

/** The task's one terminal status in this life: it leaves memory, and later reports are stale. */
export function finish(s: SchedulerState, t: TaskState, status: TaskStatus, fields: Partial<TaskState>, type: TaskEventType, message: string | null) {
  const agentId = t.agentId;
  s.ready.remove(t.id);
  unhold(s, t, true);
  Object.assign(t, fields);
  t.status = status;
  t.notBefore = null;
  t.finishedAt = now(s);
  touch(s, t);
  record(s, t, type, message, agentId);
  s.tasks.delete(t.id);
}

/** What an agent is told about the attempt it holds. */
export function assignmentOf(t: TaskState): Assignment {
  return {
    taskId: t.id,
    attempt: t.attempt,
    title: t.title,
    command: t.command,
    payload: t.payload,
    timeoutMs: t.timeoutMs,
    leaseExpiresAt: t.leaseExpiresAt ?? t.updatedAt,
    submittedBy: t.submittedBy,
  };
}
