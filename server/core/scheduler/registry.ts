// The agent registry: who is there, what they offer, and how healthy they are. Agents are
// registered, re-attached by name, restored at start-up, disconnected, drained and forgotten
// here; heartbeats and open claims are their signs of life. Health changes go only through
// setHealth, so one rule decides which of them an operator hears about as incidents.
import type { AgentStatus } from "@/lib/api";
import {
  incident,
  indexLabels,
  now,
  ok,
  reject,
  type AgentHealth,
  type AgentRegistration,
  type AgentState,
  type CancelNotice,
  type Outcome,
  type SchedulerState,
} from "./state";

/** The offline reason of an agent that said it stops (a runner's clean exit, an HTTP or MCP stop). */
export const STOPPED_BY_OWNER = "stopped by its owner";
/** Why an agent restored from the store after a restart is offline until it reconnects. */
export const AWAITING_RECONNECT = "the server restarted; waiting for it to reconnect";
/** Why an agent went offline when the server shut down (its connection closed with it). */
export const SERVER_STOPPED = "the server stopped";

/**
 * Registers an agent or re-attaches one that reconnects under the same name. Returns the
 * tasks it still holds so it can keep reporting on them.
 */
export function registerAgent(s: SchedulerState, reg: AgentRegistration): { agent: AgentState; held: { taskId: string; attempt: number }[] } {
  const at = now(s);
  const existingId = s.byName.get(reg.name);
  let a = existingId ? s.agents.get(existingId) : undefined;
  if (!a) {
    a = {
      ...reg,
      channels: reg.channels ?? [],
      acceptFrom: reg.acceptFrom ?? [],
      leaseTtlMs: reg.leaseTtlMs ?? null,
      offlineSince: null,
      order: s.nextOrder++,
      connected: false,
      draining: false,
      pull: reg.pull ?? false,
      awaitingClaim: false,
      lastSeenAt: null,
      lastHeartbeatAt: null,
      connectedAt: null,
      cpu: null,
      memoryMb: null,
      memoryTotalMb: null,
      cpuCount: null,
      tasks: new Set(),
      health: "offline",
      healthReason: "not connected yet",
      stuckSince: null,
    };
    s.agents.set(a.id, a);
    s.byName.set(a.name, a.id);
    indexLabels(s, a.id, {}, a.labels);
  } else {
    indexLabels(s, a.id, a.labels, reg.labels);
    Object.assign(a, {
      kind: reg.kind,
      capabilities: reg.capabilities,
      labels: reg.labels,
      channels: reg.channels ?? [],
      slots: reg.slots,
      version: reg.version,
      tokenId: reg.tokenId,
      pull: reg.pull ?? false,
      acceptFrom: reg.acceptFrom ?? [],
      leaseTtlMs: reg.leaseTtlMs ?? null,
    });
  }
  a.connected = true;
  a.offlineSince = null;
  a.draining = false;
  a.connectedAt = at;
  a.lastSeenAt = at;
  setHealth(s, a, "healthy", null);
  s.out.agents.add(a.id);
  // Holding a task proves liveness: renew the leases so a quick reconnect loses nothing.
  const held: { taskId: string; attempt: number }[] = [];
  for (const id of a.tasks) {
    const t = s.tasks.get(id)!;
    t.leaseExpiresAt = at + ttl(s, a);
    held.push({ taskId: id, attempt: t.attempt });
  }
  return { agent: a, held };
}

/**
 * Loads a known agent from the store at start-up; it is offline until it reconnects. One that
 * was connected when the server stopped is waiting for the restart; one already offline keeps
 * the reason it had.
 */
export function restoreAgent(
  s: SchedulerState,
  reg: AgentRegistration & { lastHeartbeatAt: number | null; wasConnected: boolean; offlineReason: string | null },
) {
  const { wasConnected, offlineReason, ...card } = reg;
  const a: AgentState = {
    ...card,
    channels: reg.channels ?? [],
    acceptFrom: reg.acceptFrom ?? [],
    leaseTtlMs: reg.leaseTtlMs ?? null,
    offlineSince: wasConnected ? now(s) : (reg.lastHeartbeatAt ?? now(s)),
    order: s.nextOrder++,
    connected: false,
    draining: false,
    pull: reg.pull ?? reg.kind === "http",
    awaitingClaim: false,
    lastSeenAt: null,
    lastHeartbeatAt: reg.lastHeartbeatAt,
    connectedAt: null,
    cpu: null,
    memoryMb: null,
    memoryTotalMb: null,
    cpuCount: null,
    tasks: new Set(),
    health: "offline",
    // Disconnected by the server's own shutdown is the same as connected when it stopped.
    healthReason: wasConnected || !offlineReason || offlineReason === SERVER_STOPPED ? AWAITING_RECONNECT : offlineReason,
    stuckSince: null,
  };
  s.agents.set(a.id, a);
  s.byName.set(a.name, a.id);
  indexLabels(s, a.id, {}, a.labels);
}

export function agentByName(s: SchedulerState, name: string): AgentState | undefined {
  const id = s.byName.get(name);
  return id ? s.agents.get(id) : undefined;
}

/** The transport went away. Its leases keep running: a reconnect within the TTL loses nothing. */
export function disconnectAgent(s: SchedulerState, agentId: string, reason = "connection lost") {
  const a = s.agents.get(agentId);
  if (!a || !a.connected) return;
  a.connected = false;
  a.awaitingClaim = false;
  a.offlineSince = now(s);
  setHealth(s, a, "offline", reason);
  s.out.agents.add(a.id);
}

/**
 * Removes an offline agent for good (an operator's "forget", or after a long time offline).
 * One that still holds work is kept: its tasks would lose their holder.
 */
export function forgetAgent(s: SchedulerState, agentId: string): Outcome<AgentState> {
  const a = s.agents.get(agentId);
  if (!a) return reject("NOT_FOUND", `agent ${agentId} is not known`);
  if (a.connected) return reject("CONFLICT", `${a.name} is connected: stop it before forgetting it.`);
  if (a.tasks.size > 0)
    return reject("CONFLICT", `${a.name} still holds ${a.tasks.size === 1 ? "a task" : `${a.tasks.size} tasks`}: release ${a.tasks.size === 1 ? "it" : "them"}, or wait until its lease expires and ${a.tasks.size === 1 ? "it is" : "they are"} retried elsewhere.`);
  s.agents.delete(a.id);
  indexLabels(s, a.id, a.labels, {});
  if (s.byName.get(a.name) === a.id) s.byName.delete(a.name);
  s.out.agents.delete(a.id);
  s.out.forgotten.push(a.id);
  return { ok: true, value: a };
}

/**
 * The lease an agent's work gets: its own TTL if it asked for one, else the server's. Part of
 * the agent's card, because every lease it holds (renewed here, set and expired by attempts and
 * timers) has this length.
 */
export function ttl(s: SchedulerState, a: AgentState): number {
  return a.leaseTtlMs ?? s.opts.leaseTtlMs;
}

/**
 * Renews the leases of everything the agent holds. Returns cancel notices for tasks the
 * agent says it runs but no longer holds (finished, canceled or reassigned meanwhile).
 */
export function heartbeat(
  s: SchedulerState,
  agentId: string,
  r: { cpu?: number; memoryMb?: number; memoryTotalMb?: number; cpuCount?: number; taskIds?: string[] },
): Outcome<CancelNotice[]> {
  const a = s.agents.get(agentId);
  if (!a) return reject("NOT_FOUND", `agent ${agentId} is not registered; register again`);
  const at = now(s);
  a.lastHeartbeatAt = at;
  a.lastSeenAt = at;
  if (!a.connected) {
    a.connected = true;
    a.connectedAt = at;
    a.offlineSince = null;
    s.out.agents.add(a.id);
  }
  if (a.stuckSince == null) setHealth(s, a, "healthy", null);
  a.cpu = r.cpu ?? a.cpu;
  a.memoryMb = r.memoryMb ?? a.memoryMb;
  a.memoryTotalMb = r.memoryTotalMb ?? a.memoryTotalMb;
  a.cpuCount = r.cpuCount ?? a.cpuCount;
  for (const id of a.tasks) s.tasks.get(id)!.leaseExpiresAt = at + ttl(s, a);
  const stale: CancelNotice[] = [];
  for (const id of r.taskIds ?? []) {
    if (!a.tasks.has(id)) stale.push({ agentId, taskId: id, attempt: 0, reason: "this task is no longer assigned to you" });
  }
  // Connection and health changes above are changes (setHealth marks them); the readings are not.
  s.out.sampled.add(a.id);
  return { ok: true, value: stale };
}

/** Stop giving this agent work; what it holds runs to the end. */
export function drainAgent(s: SchedulerState, agentId: string, draining = true): Outcome {
  const a = s.agents.get(agentId);
  if (!a) return reject("NOT_FOUND", `agent ${agentId} is not registered`);
  a.draining = draining;
  s.out.agents.add(a.id);
  return ok;
}

export function setAwaitingClaim(s: SchedulerState, agentId: string, waiting: boolean) {
  const a = s.agents.get(agentId);
  if (!a) return;
  a.awaitingClaim = waiting;
  if (waiting) {
    a.lastSeenAt = now(s);
    if (!a.connected) {
      a.connected = true;
      a.connectedAt = now(s);
      a.offlineSince = null;
      s.out.agents.add(a.id);
    }
    if (a.stuckSince == null) setHealth(s, a, "healthy", null);
  } else {
    // The claim ended (answered, timed out, or its connection closed): the agent was there
    // until now, and it is silent from now on until it polls again.
    a.lastSeenAt = now(s);
  }
}

export function agentStatus(a: AgentState): AgentStatus {
  if (!a.connected) return "offline";
  if (a.draining) return "draining";
  return a.tasks.size >= a.slots ? "busy" : "online";
}

/** Health changes are incidents; the agent tile updates through the agents outbox. */
export function setHealth(s: SchedulerState, a: AgentState, health: AgentHealth, reason: string | null) {
  if (a.health === health && a.healthReason === reason) return;
  const was = a.health;
  a.health = health;
  a.healthReason = reason;
  s.out.agents.add(a.id);
  if (health === was) return;
  // An agent its owner stopped is not lost: no incident for a clean exit; nor is one whose
  // connection closed because this server shut down (2,000 of them at every restart).
  if (health === "offline") {
    if (reason !== STOPPED_BY_OWNER && reason !== SERVER_STOPPED) incident(s, "agent_lost", `${a.name} is offline: ${reason}`, a.id, null);
  } else if (health === "unhealthy") incident(s, "agent_unhealthy", `${a.name} is unhealthy: ${reason}`, a.id, null);
  else if (was !== "offline" || a.lastHeartbeatAt != null) incident(s, "agent_recovered", `${a.name} is healthy again`, a.id, null);
}

/** Progress from an agent that was stuck: it works again. */
export function unstick(s: SchedulerState, agentId: string) {
  const a = s.agents.get(agentId);
  if (a && a.stuckSince != null) {
    a.stuckSince = null;
    if (a.connected) setHealth(s, a, "healthy", null);
  }
}
