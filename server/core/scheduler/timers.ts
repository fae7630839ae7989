// Time-driven decisions, made only when the shell calls tick(): the scheduler owns no timers, so
// a fake clock and a tick() are all a test needs to move time. Each check compares the clock with
// a deadline kept in the state: last signs of life, leases, run and progress timeouts, queue
// deadlines, backoffs, and how long an agent has been offline.
import { requirementKey } from "../matching";
import { attemptLost, finish } from "./attempts";
import { forgetAgent, setHealth, ttl } from "./registry";
import { incident, now, record, touch, type SchedulerState } from "./state";

/**
 * Agent health (unhealthy after missed heartbeats, offline after the lease TTL of silence),
 * expired leases, run timeouts, stuck attempts (no progress past the task's progress timeout),
 * queue timeouts, and tasks whose backoff is over. Each check sees what the one before it
 * changed, and the order of events in one tick's history follows this order.
 */
export function tick(s: SchedulerState) {
  const at = now(s);
  checkAgents(s, at);
  checkAttempts(s, at);
  forgetLongOffline(s, at);
  expireQueueTimeouts(s, at);
  endBackoffs(s, at);
}

function checkAgents(s: SchedulerState, at: number) {
  const beat = s.opts.heartbeatIntervalMs ?? s.opts.leaseTtlMs / 3;
  for (const a of s.agents.values()) {
    // An open long-poll is proof of life, however long it waits.
    if (!a.connected || a.lastSeenAt == null || a.awaitingClaim) continue;
    const silent = at - a.lastSeenAt;
    // Socket agents are offline when disconnected; this also catches a hung process whose
    // socket stays open, and HTTP agents, which have no connection at all.
    if (silent > ttl(s, a)) {
      a.connected = false;
      a.awaitingClaim = false;
      a.offlineSince = at;
      setHealth(s, a, "offline", `missed heartbeats for longer than its ${(ttl(s, a) / 1000).toFixed(1)} s lease`);
      s.out.agents.add(a.id);
    } else if (silent > Math.max(beat * 1.5, beat + 1000) && a.health === "healthy") {
      setHealth(s, a, "unhealthy", "missed heartbeats");
    }
  }
}

/** Held tasks: an expired lease, a run past its timeout (plus grace), or no progress for too long. */
function checkAttempts(s: SchedulerState, at: number) {
  const grace = s.opts.timeoutGraceMs ?? 5_000;
  for (const a of s.agents.values()) {
    for (const id of [...a.tasks]) {
      const t = s.tasks.get(id)!;
      if (t.leaseExpiresAt != null && t.leaseExpiresAt <= at) {
        record(s, t, "lease_expired", `no heartbeat from ${a.name} for ${ttl(s, a)} ms`, a.id);
        if (!t.avoidAgentIds.includes(a.id)) t.avoidAgentIds.push(a.id);
        attemptLost(s, t, `lease expired: agent ${a.name} stopped heartbeating`, true, "dead", null);
      } else if (t.status === "running" && t.timeoutMs != null && t.startedAt != null && at > t.startedAt + t.timeoutMs + grace) {
        s.out.cancels.push({ agentId: a.id, taskId: t.id, attempt: t.attempt, reason: "timed out" });
        incident(s, "task_timed_out", `${t.title}: ran longer than its timeout of ${t.timeoutMs} ms on ${a.name}`, a.id, t.id);
        attemptLost(s, t, `timed out after ${t.timeoutMs} ms`, true, "failed", "failed");
      } else if (t.status === "running" && t.progressTimeoutMs != null && at - (t.lastProgressAt ?? t.startedAt ?? at) > t.progressTimeoutMs) {
        // A zombie: it heartbeats, so its lease never expires, but the work does not move.
        const quiet = at - (t.lastProgressAt ?? t.startedAt ?? at);
        const why = `stuck: no progress from ${a.name} for ${(quiet / 1000).toFixed(1)} s (progress timeout ${t.progressTimeoutMs} ms)`;
        s.out.cancels.push({ agentId: a.id, taskId: t.id, attempt: t.attempt, reason: "stuck: no progress" });
        record(s, t, "stuck", why, a.id);
        incident(s, "task_stuck", `${t.title}: ${why}`, a.id, t.id);
        if (!t.avoidAgentIds.includes(a.id)) t.avoidAgentIds.push(a.id);
        a.stuckSince ??= at;
        setHealth(s, a, "unhealthy", `stuck on "${t.title}"`);
        attemptLost(s, t, why, true, "dead", "failed");
      }
    }
  }
}

/** Offline agents that hold nothing are forgotten after forgetOfflineAfterMs (if set). */
function forgetLongOffline(s: SchedulerState, at: number) {
  const forgetAfter = s.opts.forgetOfflineAfterMs;
  if (forgetAfter == null) return;
  for (const a of [...s.agents.values()]) {
    if (!a.connected && a.tasks.size === 0 && a.offlineSince != null && at - a.offlineSince >= forgetAfter) {
      forgetAgent(s, a.id);
      incident(s, "agent_forgotten", `${a.name} was forgotten: offline for ${Math.round((at - a.offlineSince) / 3_600_000)} h`, null, null);
    }
  }
}

/** A deadline is stale if the task left the queue (or re-entered it later) since it was pushed. */
function expireQueueTimeouts(s: SchedulerState, at: number) {
  while (s.queueDeadlines.size > 0 && s.queueDeadlines.peekKey()! <= at) {
    const id = s.queueDeadlines.pop()!;
    const t = s.tasks.get(id);
    if (t && t.status === "queued" && t.queueTimeoutMs != null && t.queuedAt != null && t.queuedAt + t.queueTimeoutMs <= at) {
      const why = `queue timeout: no agent took it within ${(t.queueTimeoutMs / 1000).toFixed(1)} s`;
      incident(s, "queue_timeout", `${t.title}: ${why}`, null, t.id);
      finish(s, t, "dead", { error: why }, "dead", why);
    }
  }
}

/** Tasks whose backoff is over move from the delayed heap to the ready queue. */
function endBackoffs(s: SchedulerState, at: number) {
  while (s.delayed.size > 0 && s.delayed.peekKey()! <= at) {
    const id = s.delayed.pop()!;
    const t = s.tasks.get(id);
    if (t && t.status === "queued" && t.notBefore != null && t.notBefore <= at) {
      t.notBefore = null;
      s.ready.push(t.id, requirementKey(t), t.priority);
      touch(s, t);
    }
  }
}
