// The scheduler: the coordinator's decisions over plain in-memory state. No I/O, no timers,
// no Date.now() — the caller injects a Clock, calls tick() on a timer and drains the Outbox
// to persist and deliver what changed.
//
// Invariants (tested by property tests in scheduler.property.test.ts):
// - A task is held by at most one agent, and the agent's `tasks` set and the task's
//   `agentId` always agree.
// - `attempt` is the fencing token: it is bumped on every assignment, and a report that
//   names another attempt, or comes from another agent, is rejected. So after a lease
//   expires, the old holder can no longer complete the task.
// - A task reaches a terminal status exactly once per life (an operator's retry starts a new
//   life); terminal tasks are dropped from memory at once and every later report is stale.
import type { AgentKind, Assignment, Capability, Strategy, TaskStatus } from "@/lib/protocol";
import type { AgentStatus, IncidentKind, TaskEventType, WaitingExplanation } from "@/lib/views";
import { pick, recordOutcome, type Candidate, type PerformanceStat } from "./balancing";
import type { Clock } from "./clock";
import { qualifies, requirementKey } from "./matching";
import { MinHeap } from "./min-heap";
import { ReadyQueue, before } from "./ready-queue";
import { backoffDelay } from "./retry";
import { explainWaiting } from "./waiting";

export interface TaskState {
  id: string;
  title: string;
  command: string | null;
  payload: unknown;
  requirements: Capability[];
  labelSelector: Record<string, string>;
  priority: number;
  strategy: Strategy | null;
  status: TaskStatus;
  /** Fencing token: the number of the current (or last) assignment. */
  attempt: number;
  /** Attempts that failed or were lost; retries stop when this reaches maxAttempts. */
  failures: number;
  maxAttempts: number;
  backoffMs: number;
  timeoutMs: number | null;
  /** A running attempt that reports nothing (no progress, no log line) for this long is stuck. */
  progressTimeoutMs: number | null;
  /** A task that waits this long for an agent (since it was last queued) ends `dead`. */
  queueTimeoutMs: number | null;
  /** Last sign of work on the current attempt (start, progress, a log line); not stored. */
  lastProgressAt: number | null;
  /** When it last entered the queue; not stored (a restart gives it a fresh queue timeout). */
  queuedAt: number | null;
  notBefore: number | null;
  leaseExpiresAt: number | null;
  agentId: string | null;
  /** Agents whose attempt was lost; retries prefer others (anti-affinity). */
  avoidAgentIds: string[];
  idempotencyKey: string | null;
  /** The workflow run and step this task is, if any; the scheduler only carries them. */
  runId: string | null;
  stepId: string | null;
  progress: number | null;
  result: unknown;
  error: string | null;
  createdAt: number;
  assignedAt: number | null;
  startedAt: number | null;
  finishedAt: number | null;
  updatedAt: number;
}

export interface AgentState {
  id: string;
  name: string;
  kind: AgentKind;
  /** Registration order: stable tie-breaks and round-robin. */
  order: number;
  capabilities: Capability[];
  labels: Record<string, string>;
  /** Message channels it listens to; the scheduler only carries them. */
  channels: string[];
  slots: number;
  version: string;
  tokenId: string | null;
  connected: boolean;
  draining: boolean;
  /** HTTP agents pull work: they are only given tasks while a claim request is open. */
  pull: boolean;
  awaitingClaim: boolean;
  lastSeenAt: number | null;
  lastHeartbeatAt: number | null;
  connectedAt: number | null;
  cpu: number | null;
  memoryMb: number | null;
  memoryTotalMb: number | null;
  cpuCount: number | null;
  tasks: Set<string>;
  /** healthy → unhealthy (missed heartbeats, stuck work) → offline (gone); with the reason. */
  health: AgentHealth;
  healthReason: string | null;
  /** Set when one of its attempts was found stuck; cleared when it shows progress again. */
  stuckSince: number | null;
}

export type AgentHealth = "healthy" | "unhealthy" | "offline";

/** Something an operator should know happened, for the incidents timeline. */
export type { IncidentKind };

export interface IncidentEntry {
  at: number;
  kind: IncidentKind;
  agentId: string | null;
  taskId: string | null;
  message: string;
}


export interface HistoryEntry {
  taskId: string;
  at: number;
  type: TaskEventType;
  attempt: number;
  agentId: string | null;
  message: string | null;
}

export interface CancelNotice {
  agentId: string;
  taskId: string;
  attempt: number;
  reason: string;
}

/** Everything that changed since the last drain; the shell persists it and tells the world. */
export interface Outbox {
  tasks: Map<string, TaskState>;
  agents: Set<string>;
  history: HistoryEntry[];
  assignments: { agentId: string; assignment: Assignment }[];
  cancels: CancelNotice[];
  incidents: IncidentEntry[];
}

export type Rejection = { ok: false; code: "STALE_ATTEMPT" | "NOT_FOUND" | "CONFLICT" | "FORBIDDEN"; message: string };
export type Outcome<T = undefined> = { ok: true; value: T } | Rejection;

export interface SchedulerOptions {
  clock: Clock;
  leaseTtlMs: number;
  defaultStrategy: Strategy;
  random?: () => number;
  /** Grace past a task's timeout before the server itself fails it (the runner should first). */
  timeoutGraceMs?: number;
  /** How long a task restored at start-up waits for its holder to reconnect. */
  restoreGraceMs?: number;
  /** Agents are unhealthy after 1.5 intervals (at least interval + 1 s) without a heartbeat; offline after the lease TTL. */
  heartbeatIntervalMs?: number;
}

export interface NewTask {
  id: string;
  title: string;
  command?: string | null;
  payload?: unknown;
  requirements?: Capability[];
  labelSelector?: Record<string, string>;
  priority?: number;
  strategy?: Strategy | null;
  maxAttempts?: number;
  backoffMs?: number;
  timeoutMs?: number | null;
  progressTimeoutMs?: number | null;
  queueTimeoutMs?: number | null;
  idempotencyKey?: string | null;
  runId?: string | null;
  stepId?: string | null;
}

export interface AgentRegistration {
  id: string;
  name: string;
  kind: AgentKind;
  capabilities: Capability[];
  labels: Record<string, string>;
  channels?: string[];
  slots: number;
  version: string;
  tokenId: string | null;
  /** Pulls work over HTTP long-polls instead of having it pushed over a socket. */
  pull?: boolean;
}

const ok = { ok: true, value: undefined } as const;
const reject = (code: Rejection["code"], message: string): Rejection => ({ ok: false, code, message });

export class Scheduler {
  readonly tasks = new Map<string, TaskState>();
  readonly agents = new Map<string, AgentState>();
  private readonly byName = new Map<string, string>();
  private readonly ready = new ReadyQueue();
  private readonly delayed = new MinHeap<string>();
  /** Queue-timeout deadlines (entries go stale when the task leaves the queue; checked on pop). */
  private readonly queueDeadlines = new MinHeap<string>();
  private readonly performance = new Map<string, PerformanceStat>();
  private nextOrder = 0;
  private lastRoundRobin = -1;
  private out: Outbox = emptyOutbox();
  private readonly random: () => number;

  constructor(private readonly opts: SchedulerOptions) {
    this.random = opts.random ?? Math.random;
  }

  private get now() {
    return this.opts.clock.now();
  }

  /** Whether anything changed since the last drain. */
  hasChanges(): boolean {
    const o = this.out;
    return o.tasks.size > 0 || o.agents.size > 0 || o.history.length > 0 || o.assignments.length > 0 || o.cancels.length > 0 || o.incidents.length > 0;
  }

  /** Whether some task could be dispatched right now (cheap check before a dispatch pass). */
  hasReadyWork(): boolean {
    return this.ready.size > 0;
  }

  /** Takes what changed since the last call. */
  drain(): Outbox {
    const o = this.out;
    this.out = emptyOutbox();
    return o;
  }

  // ---- Tasks -------------------------------------------------------------------------

  submit(spec: NewTask): TaskState {
    const now = this.now;
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
      progress: null,
      result: null,
      error: null,
      createdAt: now,
      assignedAt: null,
      startedAt: null,
      finishedAt: null,
      updatedAt: now,
    };
    this.tasks.set(t.id, t);
    this.enqueue(t);
    this.record(t, "submitted", null);
    return t;
  }

  /** Puts a task rebuilt from the store back under management (start-up recovery, operator retry). */
  restore(t: TaskState) {
    this.tasks.set(t.id, t);
    if (t.status === "queued") {
      this.enqueue(t);
    } else if (t.status === "assigned" || t.status === "running") {
      const a = t.agentId ? this.agents.get(t.agentId) : undefined;
      if (a) {
        a.tasks.add(t.id);
        // After a restart every agent reconnects at once, with backoff: give holders a grace
        // period (at least one lease) to come back before their work is retried elsewhere.
        t.leaseExpiresAt = this.now + Math.max(this.opts.leaseTtlMs, this.opts.restoreGraceMs ?? 0);
        t.lastProgressAt = this.now;
      } else {
        // Nobody could ever renew or expire this lease: give the task back to the queue.
        this.record(t, "released", `holder ${t.agentId ?? "(none)"} is unknown after a restart`);
        Object.assign(t, { status: "queued", agentId: null, leaseExpiresAt: null, startedAt: null, assignedAt: null, progress: null });
        this.touch(t);
        this.enqueue(t);
      }
    }
  }

  cancel(taskId: string, reason: string): Outcome<TaskState> {
    const t = this.tasks.get(taskId);
    if (!t) return reject("NOT_FOUND", `task ${taskId} is not active (it may have finished already)`);
    const agentId = t.agentId;
    if (t.status === "assigned" || t.status === "running") {
      this.out.cancels.push({ agentId: agentId!, taskId, attempt: t.attempt, reason });
    }
    this.finish(t, "canceled", { error: reason }, "canceled", reason);
    return { ok: true, value: t };
  }

  /** An operator's retry of a finished task: a new life with a fresh attempt budget. */
  requeue(t: TaskState, reason: string): TaskState {
    const now = this.now;
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
      updatedAt: now,
    } satisfies Partial<TaskState>);
    this.tasks.set(t.id, t);
    this.enqueue(t);
    this.record(t, "requeued", reason);
    return t;
  }

  // ---- Agents ------------------------------------------------------------------------

  /**
   * Registers an agent or re-attaches one that reconnects under the same name. Returns the
   * tasks it still holds so it can keep reporting on them.
   */
  registerAgent(reg: AgentRegistration): { agent: AgentState; held: { taskId: string; attempt: number }[] } {
    const now = this.now;
    const existingId = this.byName.get(reg.name);
    let a = existingId ? this.agents.get(existingId) : undefined;
    if (!a) {
      a = {
        ...reg,
        channels: reg.channels ?? [],
        order: this.nextOrder++,
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
      this.agents.set(a.id, a);
      this.byName.set(a.name, a.id);
    } else {
      Object.assign(a, {
        kind: reg.kind,
        capabilities: reg.capabilities,
        labels: reg.labels,
        channels: reg.channels ?? [],
        slots: reg.slots,
        version: reg.version,
        tokenId: reg.tokenId,
        pull: reg.pull ?? false,
      });
    }
    a.connected = true;
    a.draining = false;
    a.connectedAt = now;
    a.lastSeenAt = now;
    this.setHealth(a, "healthy", null);
    this.out.agents.add(a.id);
    // Holding a task proves liveness: renew the leases so a quick reconnect loses nothing.
    const held: { taskId: string; attempt: number }[] = [];
    for (const id of a.tasks) {
      const t = this.tasks.get(id)!;
      t.leaseExpiresAt = now + this.opts.leaseTtlMs;
      held.push({ taskId: id, attempt: t.attempt });
    }
    return { agent: a, held };
  }

  /** Loads a known agent from the store at start-up; it is offline until it reconnects. */
  restoreAgent(reg: AgentRegistration & { lastHeartbeatAt: number | null }) {
    const a: AgentState = {
      ...reg,
      channels: reg.channels ?? [],
      order: this.nextOrder++,
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
      healthReason: "the server restarted; waiting for it to reconnect",
      stuckSince: null,
    };
    this.agents.set(a.id, a);
    this.byName.set(a.name, a.id);
  }

  agentByName(name: string): AgentState | undefined {
    const id = this.byName.get(name);
    return id ? this.agents.get(id) : undefined;
  }

  /** The transport went away. Its leases keep running: a reconnect within the TTL loses nothing. */
  disconnectAgent(agentId: string, reason = "disconnected") {
    const a = this.agents.get(agentId);
    if (!a || !a.connected) return;
    a.connected = false;
    a.awaitingClaim = false;
    this.setHealth(a, "offline", reason);
    this.out.agents.add(a.id);
  }

  /**
   * Renews the leases of everything the agent holds. Returns cancel notices for tasks the
   * agent says it runs but no longer holds (finished, canceled or reassigned meanwhile).
   */
  heartbeat(
    agentId: string,
    r: { cpu?: number; memoryMb?: number; memoryTotalMb?: number; cpuCount?: number; taskIds?: string[] },
  ): Outcome<CancelNotice[]> {
    const a = this.agents.get(agentId);
    if (!a) return reject("NOT_FOUND", `agent ${agentId} is not registered; register again`);
    const now = this.now;
    a.lastHeartbeatAt = now;
    a.lastSeenAt = now;
    if (!a.connected) {
      a.connected = true;
      a.connectedAt = now;
    }
    if (a.stuckSince == null) this.setHealth(a, "healthy", null);
    a.cpu = r.cpu ?? a.cpu;
    a.memoryMb = r.memoryMb ?? a.memoryMb;
    a.memoryTotalMb = r.memoryTotalMb ?? a.memoryTotalMb;
    a.cpuCount = r.cpuCount ?? a.cpuCount;
    for (const id of a.tasks) this.tasks.get(id)!.leaseExpiresAt = now + this.opts.leaseTtlMs;
    const stale: CancelNotice[] = [];
    for (const id of r.taskIds ?? []) {
      if (!a.tasks.has(id)) stale.push({ agentId, taskId: id, attempt: 0, reason: "this task is no longer assigned to you" });
    }
    this.out.agents.add(a.id);
    return { ok: true, value: stale };
  }

  /** Stop giving this agent work; what it holds runs to the end. */
  drainAgent(agentId: string, draining = true): Outcome {
    const a = this.agents.get(agentId);
    if (!a) return reject("NOT_FOUND", `agent ${agentId} is not registered`);
    a.draining = draining;
    this.out.agents.add(a.id);
    return ok;
  }

  setAwaitingClaim(agentId: string, waiting: boolean) {
    const a = this.agents.get(agentId);
    if (!a) return;
    a.awaitingClaim = waiting;
    if (waiting) {
      a.lastSeenAt = this.now;
      if (!a.connected) {
        a.connected = true;
        a.connectedAt = this.now;
        this.out.agents.add(a.id);
      }
      if (a.stuckSince == null) this.setHealth(a, "healthy", null);
    }
  }

  agentStatus(a: AgentState): AgentStatus {
    if (!a.connected) return "offline";
    if (a.draining) return "draining";
    return a.tasks.size >= a.slots ? "busy" : "online";
  }

  // ---- Reports from agents (all fenced by attempt) ---------------------------------------

  private held(agentId: string, taskId: string, attempt: number): Outcome<TaskState> {
    const t = this.tasks.get(taskId);
    if (!t || t.agentId !== agentId || t.attempt !== attempt || (t.status !== "assigned" && t.status !== "running")) {
      const why = !t
        ? "it is no longer active"
        : t.agentId !== agentId
          ? "it is not assigned to this agent"
          : t.attempt !== attempt
            ? `attempt ${attempt} was superseded by attempt ${t.attempt}`
            : `it is ${t.status}`;
      if (t) this.record(t, "report_rejected", `stale report from ${agentId} for attempt ${attempt}: ${why}`, agentId, attempt);
      return reject("STALE_ATTEMPT", `report rejected for task ${taskId} attempt ${attempt}: ${why}`);
    }
    return { ok: true, value: t };
  }

  accept(agentId: string, taskId: string, attempt: number): Outcome {
    const h = this.held(agentId, taskId, attempt);
    if (!h.ok) return h;
    const t = h.value;
    if (t.status === "running") return ok; // repeated accept after a reconnect
    t.status = "running";
    t.startedAt = this.now;
    t.lastProgressAt = this.now;
    t.leaseExpiresAt = this.now + this.opts.leaseTtlMs;
    this.touch(t);
    this.record(t, "started", null);
    return ok;
  }

  progress(agentId: string, taskId: string, attempt: number, percent?: number, message?: string): Outcome {
    const h = this.held(agentId, taskId, attempt);
    if (!h.ok) return h;
    const t = h.value;
    if (t.status === "assigned") {
      t.status = "running";
      t.startedAt = this.now;
      this.record(t, "started", null);
    }
    t.leaseExpiresAt = this.now + this.opts.leaseTtlMs;
    t.lastProgressAt = this.now;
    this.unstick(agentId);
    if (percent !== undefined || message !== undefined) {
      if (percent !== undefined) t.progress = percent;
      if (message) this.record(t, "progress", message);
      this.touch(t);
    }
    return ok;
  }

  complete(agentId: string, taskId: string, attempt: number, result: unknown): Outcome {
    const h = this.held(agentId, taskId, attempt);
    if (!h.ok) return h;
    const t = h.value;
    this.observe(t, agentId, true);
    this.unstick(agentId);
    this.finish(t, "succeeded", { result: result ?? null, progress: 100 }, "succeeded", null);
    return ok;
  }

  fail(agentId: string, taskId: string, attempt: number, error: string, retryable: boolean, result?: unknown): Outcome {
    const h = this.held(agentId, taskId, attempt);
    if (!h.ok) return h;
    const t = h.value;
    this.observe(t, agentId, false);
    t.result = result ?? null;
    this.attemptLost(t, error, retryable, "failed", "failed");
    return ok;
  }

  /** The agent hands a task back untouched; it is requeued and the attempt is not counted. */
  release(agentId: string, taskId: string, attempt: number, reason: string): Outcome {
    const h = this.held(agentId, taskId, attempt);
    if (!h.ok) return h;
    const t = h.value;
    this.record(t, "released", reason, agentId);
    this.unhold(t);
    t.status = "queued";
    t.progress = null;
    t.startedAt = null;
    t.assignedAt = null;
    this.touch(t);
    this.enqueue(t);
    return ok;
  }

  // ---- Time --------------------------------------------------------------------------

  /**
   * Time-driven decisions: agent health (unhealthy after missed heartbeats, offline after the
   * lease TTL of silence), expired leases, run timeouts, stuck attempts (no progress past the
   * task's progress timeout), queue timeouts, and tasks whose backoff is over.
   */
  tick() {
    const now = this.now;
    const beat = this.opts.heartbeatIntervalMs ?? this.opts.leaseTtlMs / 3;
    for (const a of this.agents.values()) {
      // An open long-poll is proof of life, however long it waits.
      if (!a.connected || a.lastSeenAt == null || a.awaitingClaim) continue;
      const silent = now - a.lastSeenAt;
      // Socket agents are offline when disconnected; this also catches a hung process whose
      // socket stays open, and HTTP agents, which have no connection at all.
      if (silent > this.opts.leaseTtlMs) {
        a.connected = false;
        a.awaitingClaim = false;
        this.setHealth(a, "offline", `no heartbeat for ${(silent / 1000).toFixed(1)} s`);
        this.out.agents.add(a.id);
      } else if (silent > Math.max(beat * 1.5, beat + 1000) && a.health === "healthy") {
        this.setHealth(a, "unhealthy", `missed heartbeats: last one ${(silent / 1000).toFixed(1)} s ago`);
      }
    }
    const grace = this.opts.timeoutGraceMs ?? 5_000;
    for (const a of this.agents.values()) {
      for (const id of [...a.tasks]) {
        const t = this.tasks.get(id)!;
        if (t.leaseExpiresAt != null && t.leaseExpiresAt <= now) {
          this.record(t, "lease_expired", `no heartbeat from ${a.name} for ${this.opts.leaseTtlMs} ms`, a.id);
          if (!t.avoidAgentIds.includes(a.id)) t.avoidAgentIds.push(a.id);
          this.attemptLost(t, `lease expired: agent ${a.name} stopped heartbeating`, true, "dead", null);
        } else if (t.status === "running" && t.timeoutMs != null && t.startedAt != null && now > t.startedAt + t.timeoutMs + grace) {
          this.out.cancels.push({ agentId: a.id, taskId: t.id, attempt: t.attempt, reason: "timed out" });
          this.incident("task_timed_out", `${t.title}: ran longer than its timeout of ${t.timeoutMs} ms on ${a.name}`, a.id, t.id);
          this.attemptLost(t, `timed out after ${t.timeoutMs} ms`, true, "failed", "failed");
        } else if (t.status === "running" && t.progressTimeoutMs != null && now - (t.lastProgressAt ?? t.startedAt ?? now) > t.progressTimeoutMs) {
          // A zombie: it heartbeats, so its lease never expires, but the work does not move.
          const quiet = now - (t.lastProgressAt ?? t.startedAt ?? now);
          const why = `stuck: no progress from ${a.name} for ${(quiet / 1000).toFixed(1)} s (progress timeout ${t.progressTimeoutMs} ms)`;
          this.out.cancels.push({ agentId: a.id, taskId: t.id, attempt: t.attempt, reason: "stuck: no progress" });
          this.record(t, "stuck", why, a.id);
          this.incident("task_stuck", `${t.title}: ${why}`, a.id, t.id);
          if (!t.avoidAgentIds.includes(a.id)) t.avoidAgentIds.push(a.id);
          a.stuckSince ??= now;
          this.setHealth(a, "unhealthy", `stuck on "${t.title}"`);
          this.attemptLost(t, why, true, "dead", "failed");
        }
      }
    }
    while (this.queueDeadlines.size > 0 && this.queueDeadlines.peekKey()! <= now) {
      const id = this.queueDeadlines.pop()!;
      const t = this.tasks.get(id);
      if (t && t.status === "queued" && t.queueTimeoutMs != null && t.queuedAt != null && t.queuedAt + t.queueTimeoutMs <= now) {
        const why = `queue timeout: no agent took it within ${(t.queueTimeoutMs / 1000).toFixed(1)} s`;
        this.incident("queue_timeout", `${t.title}: ${why}`, null, t.id);
        this.finish(t, "dead", { error: why }, "dead", why);
      }
    }
    while (this.delayed.size > 0 && this.delayed.peekKey()! <= now) {
      const id = this.delayed.pop()!;
      const t = this.tasks.get(id);
      if (t && t.status === "queued" && t.notBefore != null && t.notBefore <= now) {
        t.notBefore = null;
        this.ready.push(t.id, requirementKey(t), t.priority);
        this.touch(t);
      }
    }
  }

  /** When the next timed event is due, so the shell can sleep until then. */
  nextWakeAt(): number | null {
    return this.delayed.peekKey() ?? null;
  }

  // ---- Dispatch ----------------------------------------------------------------------

  /**
   * Assigns ready tasks to free agents until either runs out. Groups of tasks with the same
   * requirements are merged by (priority, age); a group without a candidate is skipped for
   * the rest of the pass, so unmatched tasks cost one check per pass, not one per task.
   */
  dispatch(): number {
    let assigned = 0;
    const free = [...this.agents.values()].filter((a) => this.accepting(a));
    if (free.length === 0 || this.ready.size === 0) return 0;
    const dead = new Set<string>();
    for (;;) {
      let bestKey: string | undefined;
      let best: { id: string; priority: number; seq: number } | undefined;
      for (const key of this.ready.keys()) {
        if (dead.has(key)) continue;
        const h = this.ready.head(key)!;
        if (!best || before(h, best)) {
          best = h;
          bestKey = key;
        }
      }
      if (!best || !bestKey) break;
      const t = this.tasks.get(best.id)!;
      const cands = free.filter((a) => this.accepting(a) && qualifies(a, t));
      if (cands.length === 0) {
        dead.add(bestKey);
        continue;
      }
      const preferred = cands.filter((a) => !t.avoidAgentIds.includes(a.id));
      const agent = this.choose(t, preferred.length ? preferred : cands);
      this.ready.remove(t.id);
      this.assign(t, agent);
      assigned++;
      if (!free.some((a) => this.accepting(a))) break;
    }
    return assigned;
  }

  private accepting(a: AgentState) {
    return a.connected && !a.draining && a.tasks.size < a.slots && (!a.pull || a.awaitingClaim);
  }

  private choose(t: TaskState, cands: AgentState[]): AgentState {
    const strategy = t.strategy ?? this.opts.defaultStrategy;
    const asCandidate = (a: AgentState): Candidate => ({
      id: a.id,
      order: a.order,
      slots: a.slots,
      slotsUsed: a.tasks.size,
      cpu: a.cpu,
      cpuCount: a.cpuCount,
      memoryMb: a.memoryMb,
      memoryTotalMb: a.memoryTotalMb,
    });
    const picked = pick(strategy, cands.map(asCandidate), {
      lastOrder: this.lastRoundRobin,
      capabilities: t.requirements.map((r) => r.name),
      performance: (agentId, caps) => this.performanceOf(agentId, caps),
    });
    if (strategy === "round-robin") this.lastRoundRobin = picked.order;
    return this.agents.get(picked.id)!;
  }

  private assign(t: TaskState, a: AgentState) {
    const now = this.now;
    t.status = "assigned";
    t.attempt += 1;
    t.agentId = a.id;
    t.assignedAt = now;
    t.startedAt = null;
    t.progress = null;
    t.leaseExpiresAt = now + this.opts.leaseTtlMs;
    a.tasks.add(t.id);
    if (a.pull) a.awaitingClaim = false;
    this.touch(t);
    this.out.agents.add(a.id);
    this.record(t, "assigned", `assigned to ${a.name}`, a.id);
    this.out.assignments.push({ agentId: a.id, assignment: assignmentOf(t) });
  }

  // ---- Explanations ------------------------------------------------------------------

  explain(taskId: string): WaitingExplanation | null {
    const t = this.tasks.get(taskId);
    if (!t || t.status !== "queued") return null;
    return explainWaiting(t, [...this.agents.values()], {
      now: this.now,
      status: (a) => this.agentStatus(a),
      ahead: this.ready.has(t.id) ? this.ready.positionOf(t.id) : 0,
    });
  }

  counts() {
    let queued = 0,
      assigned = 0,
      running = 0;
    for (const t of this.tasks.values()) {
      if (t.status === "queued") queued++;
      else if (t.status === "assigned") assigned++;
      else if (t.status === "running") running++;
    }
    return { queued, assigned, running };
  }

  // ---- Internals ---------------------------------------------------------------------

  private enqueue(t: TaskState) {
    t.queuedAt = this.now;
    if (t.queueTimeoutMs != null) this.queueDeadlines.push(this.now + t.queueTimeoutMs, t.id);
    if (t.notBefore != null && t.notBefore > this.now) this.delayed.push(t.notBefore, t.id);
    else {
      t.notBefore = null;
      this.ready.push(t.id, requirementKey(t), t.priority);
    }
  }

  /** Frees the holder's slot. A finished task keeps `agentId` to show who ran it last. */
  private unhold(t: TaskState, keepAgent = false) {
    if (t.agentId) {
      this.agents.get(t.agentId)?.tasks.delete(t.id);
      this.out.agents.add(t.agentId);
    }
    t.leaseExpiresAt = null;
    if (!keepAgent) t.agentId = null;
  }

  /**
   * An attempt ended without success. Retry with backoff while the budget lasts; otherwise
   * end as `exhausted` (`failed` when the agent reported an error, `dead` when it was lost).
   */
  private attemptLost(t: TaskState, error: string, retryable: boolean, exhausted: "failed" | "dead", eventType: "failed" | null) {
    const agentId = t.agentId;
    t.failures += 1;
    t.error = error;
    if (retryable && t.failures < t.maxAttempts) {
      // "attempt_failed", not "failed": in the history, `failed` always means the task ended.
      if (eventType) this.record(t, "attempt_failed", error, agentId);
      this.unhold(t);
      const delay = backoffDelay({ maxAttempts: t.maxAttempts, backoffMs: t.backoffMs }, t.failures + 1, this.random());
      t.status = "queued";
      t.notBefore = this.now + delay;
      t.progress = null;
      this.touch(t);
      this.record(t, "retry_scheduled", `retry ${t.failures + 1} of ${t.maxAttempts} in ${delay} ms`, null);
      this.incident("task_retried", `${t.title}: ${error}; retry ${t.failures + 1} of ${t.maxAttempts}`, agentId, t.id);
      this.enqueue(t);
    } else {
      const why = retryable ? `${error} (attempt ${t.failures} of ${t.maxAttempts}, no retries left)` : error;
      if (exhausted === "dead") this.incident("task_dead", `${t.title}: ${why}`, agentId, t.id);
      this.finish(t, exhausted, { error }, exhausted, why);
    }
  }

  private finish(t: TaskState, status: TaskStatus, fields: Partial<TaskState>, type: TaskEventType, message: string | null) {
    const agentId = t.agentId;
    this.ready.remove(t.id);
    this.unhold(t, true);
    Object.assign(t, fields);
    t.status = status;
    t.notBefore = null;
    t.finishedAt = this.now;
    this.touch(t);
    this.record(t, type, message, agentId);
    this.tasks.delete(t.id);
  }

  /** Health changes are incidents; the agent tile updates through the agents outbox. */
  private setHealth(a: AgentState, health: AgentHealth, reason: string | null) {
    if (a.health === health && a.healthReason === reason) return;
    const was = a.health;
    a.health = health;
    a.healthReason = reason;
    this.out.agents.add(a.id);
    if (health === was) return;
    if (health === "offline") this.incident("agent_lost", `${a.name} is offline: ${reason}`, a.id, null);
    else if (health === "unhealthy") this.incident("agent_unhealthy", `${a.name} is unhealthy: ${reason}`, a.id, null);
    else if (was !== "offline" || a.lastHeartbeatAt != null) this.incident("agent_recovered", `${a.name} is healthy again`, a.id, null);
  }

  /** Progress from an agent that was stuck: it works again. */
  private unstick(agentId: string) {
    const a = this.agents.get(agentId);
    if (a && a.stuckSince != null) {
      a.stuckSince = null;
      if (a.connected) this.setHealth(a, "healthy", null);
    }
  }

  /** Recorded by the shell (server restarts) as well as here. */
  incident(kind: IncidentKind, message: string, agentId: string | null, taskId: string | null) {
    this.out.incidents.push({ at: this.now, kind, agentId, taskId, message });
  }

  private touch(t: TaskState) {
    t.updatedAt = this.now;
    this.out.tasks.set(t.id, t);
  }

  private record(t: TaskState, type: TaskEventType, message: string | null, agentId: string | null = t.agentId, attempt = t.attempt) {
    this.out.tasks.set(t.id, t);
    this.out.history.push({ taskId: t.id, at: this.now, type, attempt, agentId, message });
  }

  private observe(t: TaskState, agentId: string, success: boolean) {
    const duration = t.startedAt != null ? this.now - t.startedAt : null;
    for (const cap of t.requirements.length ? t.requirements.map((r) => r.name) : ["*"]) {
      const k = `${agentId}\u0000${cap}`;
      this.performance.set(k, recordOutcome(this.performance.get(k), success, duration));
    }
  }

  /** Seeds performance stats from history at start-up. */
  seedPerformance(agentId: string, capability: string, stat: PerformanceStat) {
    this.performance.set(`${agentId}\u0000${capability}`, stat);
  }

  private performanceOf(agentId: string, caps: readonly string[]): PerformanceStat | undefined {
    const keys = caps.length ? caps : ["*"];
    let total: PerformanceStat | undefined;
    for (const c of keys) {
      const s = this.performance.get(`${agentId}\u0000${c}`);
      if (!s) continue;
      total = total
        ? {
            succeeded: total.succeeded + s.succeeded,
            failed: total.failed + s.failed,
            meanMs: total.meanMs != null && s.meanMs != null ? (total.meanMs + s.meanMs) / 2 : (total.meanMs ?? s.meanMs),
          }
        : s;
    }
    return total;
  }
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
  };
}

function emptyOutbox(): Outbox {
  return { tasks: new Map(), agents: new Set(), history: [], assignments: [], cancels: [], incidents: [] };
}
