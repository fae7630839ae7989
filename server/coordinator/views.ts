// What the live state looks like from outside: tasks, agents and fleet counters as the API and
// the dashboard show them (the schemas are lib/api's). Read through the coordinator's read-only
// methods; nothing here changes anything.
import type { AgentView, FleetStats, TaskView } from "@/lib/api";
import type { AgentState, TaskState } from "@/server/core/scheduler";
import type { Coordinator } from "./coordinator";

export class FleetViews {
  constructor(private readonly c: Coordinator) {}

  /** The agent's current name, for history rows and incidents that store only its id. */
  agentName(agentId: string | null): string | null {
    return agentId ? (this.c.agent(agentId)?.name ?? null) : null;
  }

  /** Adds the agent's current name to a history entry. */
  named<E extends { agentId: string | null }>(e: E): E & { agentName: string | null } {
    return { ...e, agentName: this.agentName(e.agentId) };
  }

  agent(a: Readonly<AgentState>): AgentView {
    return {
      id: a.id,
      name: a.name,
      kind: a.kind,
      status: this.c.agentStatus(a),
      capabilities: a.capabilities,
      labels: a.labels,
      slots: a.slots,
      slotsUsed: a.tasks.size,
      currentTasks: [...a.tasks].map((id) => ({ id, title: this.c.liveTask(id)?.title ?? id })),
      version: a.version,
      cpu: a.cpu,
      memoryMb: a.memoryMb,
      lastHeartbeatAt: a.lastHeartbeatAt,
      connectedAt: a.connectedAt,
      health: a.health,
      healthReason: a.healthReason,
      draining: a.draining,
      polling: a.pull && a.awaitingClaim,
      acceptFrom: a.acceptFrom,
      samples: this.c.recentSamples(a.id),
    };
  }

  /** Every agent, by name. */
  agents(): AgentView[] {
    return this.c
      .agentList()
      .map((a) => this.agent(a))
      .sort((x, y) => x.name.localeCompare(y.name));
  }

  task(t: Readonly<TaskState>): TaskView {
    // Prefer the live in-memory state: it is at least as new as a stored row.
    const live = this.c.liveTask(t.id) ?? t;
    return {
      id: live.id,
      title: live.title,
      command: live.command,
      payload: live.payload,
      requirements: live.requirements,
      labelSelector: live.labelSelector,
      priority: live.priority,
      strategy: live.strategy,
      status: live.status,
      attempt: live.attempt,
      maxAttempts: live.maxAttempts,
      agentId: live.agentId,
      agentName: this.agentName(live.agentId),
      progress: live.progress,
      result: live.result ?? null,
      error: live.error,
      timeoutMs: live.timeoutMs,
      progressTimeoutMs: live.progressTimeoutMs,
      queueTimeoutMs: live.queueTimeoutMs,
      idempotencyKey: live.idempotencyKey,
      runId: live.runId,
      stepId: live.stepId,
      submittedBy: live.submittedBy,
      createdAt: live.createdAt,
      assignedAt: live.assignedAt,
      startedAt: live.startedAt,
      finishedAt: live.finishedAt,
      notBefore: live.notBefore,
      leaseExpiresAt: live.leaseExpiresAt,
    };
  }

  stats(): FleetStats {
    const agents = { total: 0, online: 0, busy: 0, draining: 0, offline: 0 };
    for (const a of this.c.agentList()) {
      agents.total++;
      agents[this.c.agentStatus(a)]++;
    }
    const f = this.c.finishRates();
    return { agents, tasks: this.c.taskCounts(), tasksPerMinute: f.lastMinute, failureRate: f.total ? f.failed / f.total : 0, at: f.at };
  }
}
