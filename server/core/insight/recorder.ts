// Turns what the scheduler did (its history, as drained each group-commit cycle) into rollup
// increments. Pure: it is given the entries, the tasks they are about and the agents, and keeps
// only what it needs to measure intervals — when each task became ready (for queue wait) and
// when each running attempt started (for run time and busy slot-time).
//
// Busy time is accrued as it passes (`accrue`, every few seconds), not all at the end: an
// attempt that runs for six hours is busy in each of those hours, so per-minute utilisation
// never exceeds what the fleet offered.
import type { HistoryEntry, TaskState } from "@/server/core/scheduler";
import { RollupBuffer, type FactScope } from "./rollup";

/** What the recorder needs to know of an agent. */
export interface AgentFacts {
  id: string;
  name: string;
  capabilities: readonly { name: string }[];
  labels: Readonly<Record<string, string>>;
  slots: number;
  connected: boolean;
}

interface Running {
  since: number;
  accruedTo: number;
  scope: FactScope;
}

const ATTEMPT_ENDS = new Set(["succeeded", "failed", "attempt_failed", "dead", "canceled", "lease_expired", "released", "requeued"]);
/** Ends whose run time says how long the work takes (a lost or handed-back attempt does not). */
const COUNTED_ENDS = new Set(["succeeded", "failed", "attempt_failed"]);
const BECOMES_READY = new Set(["released", "requeued", "lease_expired"]);

export const labelsOf = (labels: Readonly<Record<string, string>>) => Object.entries(labels).map(([k, v]) => `${k}=${v}`);

export class RollupRecorder {
  readonly buffer = new RollupBuffer();
  private readySince = new Map<string, number>();
  private running = new Map<string, Running>();
  /** Within one cycle: the agent of a task's attempt that just ended. */
  private lastAgent = new Map<string, string>();
  private availableTo: number | null = null;

  constructor(private readonly agentOf: (id: string) => AgentFacts | undefined) {}

  private scope(t: TaskState, agentId: string | null): FactScope {
    const a = agentId ? this.agentOf(agentId) : undefined;
    return {
      capabilities: t.requirements.map((r) => r.name),
      template: t.template,
      agent: a ? a.name : null,
      labels: a ? labelsOf(a.labels) : labelsOf(t.labelSelector),
    };
  }

  /** One cycle's history, in order; `tasks` holds every task an entry is about. */
  record(history: readonly HistoryEntry[], tasks: ReadonlyMap<string, TaskState>) {
    this.lastAgent.clear();
    for (const h of history) {
      const t = tasks.get(h.taskId);
      if (!t) continue;
      if (h.type === "submitted") {
        this.buffer.submitted(h.at, this.scope(t, null));
        this.readySince.set(t.id, t.notBefore != null && t.notBefore > h.at ? t.notBefore : h.at);
        continue;
      }
      if (h.type === "started") {
        const ready = this.readySince.get(t.id) ?? (t.attempt <= 1 ? t.createdAt : (t.queuedAt ?? h.at));
        this.readySince.delete(t.id);
        const scope = this.scope(t, h.agentId);
        this.buffer.started(h.at, scope, h.at - ready);
        this.running.set(t.id, { since: h.at, accruedTo: h.at, scope });
        continue;
      }
      if (ATTEMPT_ENDS.has(h.type)) {
        this.endAttempt(t, h);
        if (h.agentId) this.lastAgent.set(t.id, h.agentId);
      }
      // A retry is counted against the agent whose attempt failed: "b-3's attempts keep failing".
      if (h.type === "retry_scheduled") {
        this.buffer.retried(h.at, this.scope(t, this.lastAgent.get(t.id) ?? null));
        this.lastAgent.delete(t.id);
      }
      if (h.type === "retry_scheduled") this.readySince.set(t.id, t.status === "queued" && t.notBefore != null ? Math.max(t.notBefore, h.at) : h.at);
      else if (BECOMES_READY.has(h.type) && !this.readySince.has(t.id)) this.readySince.set(t.id, h.at);
      if (h.type === "succeeded" || h.type === "failed" || h.type === "dead" || h.type === "canceled") {
        this.buffer.ended(h.at, this.scope(t, h.agentId), h.type);
        this.readySince.delete(t.id);
      }
    }
  }

  private endAttempt(t: TaskState, h: HistoryEntry) {
    const r = this.running.get(t.id);
    if (!r) {
      // Started before a restart: the task still says when, if this attempt ran at all.
      if (COUNTED_ENDS.has(h.type) && t.startedAt != null && t.startedAt <= h.at) {
        this.buffer.attemptEnded(h.at, this.scope(t, h.agentId), h.at - t.startedAt, true, h.at - t.startedAt);
      }
      return;
    }
    this.running.delete(t.id);
    this.buffer.attemptEnded(h.at, r.scope, h.at - r.since, COUNTED_ENDS.has(h.type), h.at - r.accruedTo);
  }

  /**
   * Called every few seconds: busy time of running attempts, and the slot-time connected
   * agents offered, since the last call.
   */
  accrue(now: number, agents: Iterable<AgentFacts>) {
    for (const r of this.running.values()) {
      if (now > r.accruedTo) this.buffer.busy(now, r.scope, now - r.accruedTo);
      r.accruedTo = Math.max(r.accruedTo, now);
    }
    const from = this.availableTo;
    this.availableTo = now;
    if (from == null || now <= from) return;
    for (const a of agents) {
      if (!a.connected || a.slots <= 0) continue;
      this.buffer.available(now, { capabilities: a.capabilities.map((c) => c.name), template: null, agent: a.name, labels: labelsOf(a.labels) }, a.slots * (now - from));
    }
  }

  /** A task left memory without an end the recorder saw (e.g. refused by the store). */
  forget(taskId: string) {
    this.readySince.delete(taskId);
    this.running.delete(taskId);
  }

  get tracked() {
    return this.readySince.size + this.running.size;
  }
}
