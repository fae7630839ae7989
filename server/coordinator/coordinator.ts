// The coordinator service: the thin shell around the pure Scheduler. It owns the timers, turns
// agent and operator calls into scheduler calls, and writes every change durably before it
// acknowledges it, by group commit: calls made while a batch is being written ride on the
// next batch, so throughput is one transaction per batch rather than one per change.
import type { Assignment, TaskSpec, Heartbeat, AgentCard, Strategy } from "@/lib/protocol";
import { isTerminal } from "@/lib/protocol";
import type { AgentView, DeadLetterView, FleetStats, ResourceSample, TaskEventView, TaskLogLine, TaskView, WaitingExplanation } from "@/lib/views";
import type { Clock } from "@/server/core/clock";
import { Scheduler, assignmentOf, type AgentState, type CancelNotice, type Outcome, type TaskState } from "@/server/core/scheduler";
import { recordOutcome, type PerformanceStat } from "@/server/core/balancing";
import { AppError } from "@/server/errors";
import { newId } from "@/server/ids";
import { log } from "@/server/log";
import type { AgentRow, CoordinatorStore, LogRow, SampleRow, WriteBatch } from "@/server/store/store";
import { DomainBus } from "./events";

export interface CoordinatorOptions {
  store: CoordinatorStore;
  clock: Clock;
  heartbeatIntervalMs: number;
  leaseTtlMs: number;
  defaultStrategy: Strategy;
  restoreGraceMs?: number;
  tickMs?: number;
}

interface Deferred {
  promise: Promise<void>;
  resolve: () => void;
}

interface OpenClaim {
  resolve: (tasks: Assignment[]) => void;
  timer: NodeJS.Timeout;
  /** Set when a batch in flight assigned work to this claim; the timeout then leaves it alone. */
  pending: boolean;
}

const SAMPLE_RING = 60;
const SAMPLE_PERSIST_MS = 10_000;
const STATS_WINDOW_MS = 5 * 60_000;
const REDELIVER_AFTER_MS = 1_000;

function deferred(): Deferred {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

/** Turns a scheduler rejection into an AppError the edges know how to answer. */
function unwrap<T>(o: Outcome<T>): T {
  if (o.ok) return o.value;
  throw new AppError(o.code, o.message);
}

export class Coordinator {
  readonly bus = new DomainBus();
  readonly scheduler: Scheduler;
  private eventId = 0;
  private logId = 0;
  private pendingLogs: (LogRow & { id: number })[] = [];
  private pendingSamples: SampleRow[] = [];
  private samples = new Map<string, ResourceSample[]>();
  private lastSampleSaved = new Map<string, number>();
  private credentialHashes = new Map<string, string | null>();
  private finishes: { at: number; ok: boolean }[] = [];
  private idempotency = new Map<string, string>();
  private claims = new Map<string, OpenClaim>();
  private next: Deferred | null = null;
  private scheduled = false;
  private flushing = false;
  private stopped = false;
  private tickTimer: NodeJS.Timeout | null = null;
  private batchSources: { drain(): Pick<WriteBatch, "messages" | "deliveries" | "acks"> }[] = [];
  private pruneTimer: NodeJS.Timeout | null = null;

  constructor(private readonly opts: CoordinatorOptions) {
    this.scheduler = new Scheduler({
      clock: opts.clock,
      leaseTtlMs: opts.leaseTtlMs,
      defaultStrategy: opts.defaultStrategy,
      restoreGraceMs: opts.restoreGraceMs,
      heartbeatIntervalMs: opts.heartbeatIntervalMs,
    });
  }

  private get now() {
    return this.opts.clock.now();
  }

  get heartbeatIntervalMs() {
    return this.opts.heartbeatIntervalMs;
  }

  // ---- Life cycle ----------------------------------------------------------------------

  /** Rebuilds live state from the store: agents start offline, unfinished tasks resume. */
  async start() {
    const live = await this.opts.store.loadLive();
    this.eventId = live.maxEventId;
    this.logId = live.maxLogId;
    for (const a of live.agents) {
      this.scheduler.restoreAgent({ ...a, lastHeartbeatAt: a.lastHeartbeatAt });
      this.credentialHashes.set(a.id, a.credentialHash);
    }
    for (const t of live.tasks) {
      this.scheduler.restore(t);
      if (t.idempotencyKey) this.idempotency.set(t.idempotencyKey, t.id);
    }
    const outcomes = await this.opts.store.loadOutcomes(this.now - 24 * 3_600_000);
    const perf = new Map<string, PerformanceStat>();
    for (const o of outcomes) {
      if (o.finishedAt >= this.now - STATS_WINDOW_MS) this.finishes.push({ at: o.finishedAt, ok: o.status === "succeeded" });
      if (!o.agentId || (o.status !== "succeeded" && o.status !== "failed")) continue;
      const duration = o.startedAt != null ? o.finishedAt - o.startedAt : null;
      for (const cap of o.requirements.length ? o.requirements.map((r) => r.name) : ["*"]) {
        const k = `${o.agentId}\u0000${cap}`;
        perf.set(k, recordOutcome(perf.get(k), o.status === "succeeded", duration));
      }
    }
    for (const [k, s] of perf) {
      const [agentId, cap] = k.split("\u0000");
      this.scheduler.seedPerformance(agentId, cap, s);
    }
    // Agents the store thought online are offline until they reconnect: persist that.
    for (const a of this.scheduler.agents.values()) this.scheduler.disconnectAgent(a.id);
    this.scheduler.drain();
    this.scheduler.incident(
      "server_restarted",
      `the server started: ${live.agents.length} agents and ${live.tasks.length} unfinished tasks rebuilt from the store`,
      null,
      null,
    );
    await this.opts.store.write({ tasks: [], history: [], logs: [], samples: [], agents: [...this.scheduler.agents.values()].map((a) => this.agentRow(a)) });
    const tickMs = this.opts.tickMs ?? 200;
    this.tickTimer = setInterval(() => this.tick(), tickMs);
    this.pruneTimer = setInterval(() => void this.prune(), 3_600_000);
    this.tickTimer.unref?.();
    this.pruneTimer.unref?.();
    log.info("coordinator started", { agents: live.agents.length, unfinishedTasks: live.tasks.length });
  }

  async stop() {
    this.stopped = true;
    if (this.tickTimer) clearInterval(this.tickTimer);
    if (this.pruneTimer) clearInterval(this.pruneTimer);
    for (const c of this.claims.values()) {
      clearTimeout(c.timer);
      c.resolve([]);
    }
    this.claims.clear();
    await this.flushNow();
  }

  private tick() {
    this.scheduler.tick();
    if (this.scheduler.hasChanges()) void this.commit();
  }

  private async prune() {
    try {
      const n = await this.opts.store.prune(this.now - 24 * 3_600_000);
      if (n) log.info("pruned old samples and logs", { rows: n });
    } catch (e) {
      log.warn("prune failed", { error: (e as Error).message });
    }
  }

  // ---- Group commit --------------------------------------------------------------------

  /** Another service's rows ride on the same transactions (messages): drained at every cycle. */
  addBatchSource(source: { drain(): Pick<WriteBatch, "messages" | "deliveries" | "acks"> }) {
    this.batchSources.push(source);
  }

  /** Resolves once everything changed so far is durable (and dispatched, if it could be). */
  commit(): Promise<void> {
    if (!this.next) this.next = deferred();
    const p = this.next.promise;
    if (!this.scheduled && !this.flushing) {
      this.scheduled = true;
      setImmediate(() => void this.runCycle());
    }
    return p;
  }

  private async flushNow() {
    while (this.scheduled || this.flushing || this.next) {
      await (this.next?.promise ?? new Promise((r) => setTimeout(r, 5)));
    }
  }

  private async runCycle() {
    this.scheduled = false;
    this.flushing = true;
    const waiters = this.next;
    this.next = null;
    if (!this.stopped) this.scheduler.dispatch();
    const out = this.scheduler.drain();
    for (const { agentId } of out.assignments) {
      const c = this.claims.get(agentId);
      if (c) c.pending = true;
    }
    const history = out.history.map((h) => ({ ...h, id: ++this.eventId }));
    const finishedTasks = [...out.tasks.values()].filter((t) => isTerminal(t.status));
    const extra = this.batchSources.map((src) => src.drain());
    const batch: WriteBatch = {
      messages: extra.flatMap((e) => e.messages ?? []),
      deliveries: extra.flatMap((e) => e.deliveries ?? []),
      acks: extra.flatMap((e) => e.acks ?? []),
      incidents: out.incidents,
      tasks: [...out.tasks.values()],
      history,
      logs: this.pendingLogs,
      samples: this.pendingSamples,
      agents: [...out.agents].map((id) => this.scheduler.agents.get(id)).filter((a): a is AgentState => !!a).map((a) => this.agentRow(a)),
    };
    this.pendingLogs = [];
    this.pendingSamples = [];
    const w0 = performance.now();
    await this.writeWithRetry(batch);
    log.debug("batch written", { tasks: batch.tasks.length, events: batch.history.length, agents: batch.agents.length, messages: batch.messages?.length ?? 0, acks: batch.acks?.length ?? 0, writeMs: (performance.now() - w0).toFixed(1) });
    for (const t of finishedTasks) {
      if (t.idempotencyKey && this.idempotency.get(t.idempotencyKey) === t.id) this.idempotency.delete(t.idempotencyKey);
      if (t.status !== "canceled") this.finishes.push({ at: t.finishedAt ?? this.now, ok: t.status === "succeeded" });
    }
    this.flushing = false;
    waiters?.resolve();
    this.publish(out.assignments, out.cancels, batch, [...out.agents]);
    if (this.next && !this.scheduled) {
      this.scheduled = true;
      setImmediate(() => void this.runCycle());
    }
  }

  /** A failed write (e.g. the database is locked) is retried until it lands: acks wait, nothing is lost. */
  private async writeWithRetry(batch: WriteBatch) {
    for (let attempt = 1; ; attempt++) {
      try {
        await this.opts.store.write(batch);
        return;
      } catch (e) {
        const delay = Math.min(500, 50 * 2 ** attempt);
        log.error("store write failed, retrying", { attempt, delayMs: delay, error: (e as Error).message.split("\n")[0] });
        await new Promise((r) => setTimeout(r, delay));
      }
    }
  }

  private publish(assignments: { agentId: string; assignment: Assignment }[], cancels: CancelNotice[], batch: WriteBatch, agentIds: string[]) {
    if (batch.tasks.length) this.bus.emit("tasksChanged", batch.tasks);
    if (agentIds.length) this.bus.emit("agentsChanged", agentIds);
    if (batch.history.length) this.bus.emit("taskEventsRecorded", batch.history.map((h) => this.named(h)));
    if (batch.logs.length) this.bus.emit("taskLogsAppended", batch.logs.map(({ id: _id, ...l }) => l));
    if (batch.incidents?.length) this.bus.emit("incidentsRecorded", batch.incidents.map((i) => ({ ...i, id: 0, agentName: i.agentId ? (this.scheduler.agents.get(i.agentId)?.name ?? null) : null })));
    const push: { agentId: string; assignment: Assignment }[] = [];
    const pulled = new Map<string, Assignment[]>();
    for (const a of assignments) {
      if (this.claims.has(a.agentId)) pulled.set(a.agentId, [...(pulled.get(a.agentId) ?? []), a.assignment]);
      else push.push(a);
    }
    for (const [agentId, tasks] of pulled) this.resolveClaim(agentId, tasks);
    if (push.length) this.bus.emit("tasksAssigned", push);
    if (cancels.length) this.bus.emit("attemptsCanceled", cancels);
  }

  // ---- Operators -----------------------------------------------------------------------

  /** `link` ties every task of this call to a workflow step (used by the workflow service). */
  async submit(specs: TaskSpec[], link?: { runId: string; stepId: string }): Promise<TaskState[]> {
    const existing = new Map<number, TaskState>();
    for (const [i, s] of specs.entries()) {
      if (!s.idempotencyKey || this.idempotency.has(s.idempotencyKey)) continue;
      const found = await this.opts.store.getTaskByIdempotencyKey(s.idempotencyKey);
      if (found) existing.set(i, found);
    }
    const result = specs.map((s, i) => {
      const liveId = s.idempotencyKey ? this.idempotency.get(s.idempotencyKey) : undefined;
      const live = liveId ? this.scheduler.tasks.get(liveId) : undefined;
      if (live) return live;
      const stored = existing.get(i);
      if (stored) return stored;
      const t = this.scheduler.submit({
        id: newId("t"),
        title: s.title,
        command: s.command ?? null,
        payload: s.payload ?? null,
        requirements: s.requires,
        labelSelector: s.labels,
        priority: s.priority,
        strategy: s.strategy ?? null,
        maxAttempts: s.retry.maxAttempts,
        backoffMs: s.retry.backoffMs,
        timeoutMs: s.timeoutMs ?? null,
        progressTimeoutMs: s.progressTimeoutMs ?? null,
        queueTimeoutMs: s.queueTimeoutMs ?? null,
        idempotencyKey: s.idempotencyKey ?? null,
        runId: link?.runId ?? null,
        stepId: link?.stepId ?? null,
      });
      if (t.idempotencyKey) this.idempotency.set(t.idempotencyKey, t.id);
      return t;
    });
    await this.commit();
    return result;
  }

  async cancel(id: string, reason = "canceled by operator"): Promise<TaskState> {
    const r = this.scheduler.cancel(id, reason);
    if (!r.ok) {
      const stored = await this.opts.store.getTask(id);
      if (!stored) throw new AppError("NOT_FOUND", `No task with id ${id}.`);
      throw new AppError("CONFLICT", `Task ${id} is already ${stored.status}; only unfinished tasks can be canceled.`);
    }
    await this.commit();
    return r.value;
  }

  async retry(id: string): Promise<TaskState> {
    const live = this.scheduler.tasks.get(id);
    if (live) throw new AppError("CONFLICT", `Task ${id} is still ${live.status}; only finished tasks can be retried.`);
    const stored = await this.opts.store.getTask(id);
    if (!stored) throw new AppError("NOT_FOUND", `No task with id ${id}.`);
    if (stored.status === "succeeded") throw new AppError("CONFLICT", `Task ${id} succeeded; submit a new task to run it again.`);
    if (stored.runId) throw new AppError("CONFLICT", `Task ${id} is step ${stored.stepId} of workflow run ${stored.runId}; re-run that step from the run instead.`);
    if (this.scheduler.tasks.has(id)) throw new AppError("CONFLICT", `Task ${id} was just retried.`);
    const t = this.scheduler.requeue(stored, "retried by operator");
    if (t.idempotencyKey) this.idempotency.set(t.idempotencyKey, t.id);
    await this.commit();
    return t;
  }

  explain(id: string): WaitingExplanation | null {
    return this.scheduler.explain(id);
  }

  // ---- Agents --------------------------------------------------------------------------

  /**
   * `bind` runs before anything is dispatched to the agent, so a transport can route the
   * assignments that the registration itself makes possible.
   */
  async registerAgent(card: AgentCard, token: { id: string; hash: string }, transport: "socket" | "http", bind?: (agentId: string) => void) {
    const existing = this.scheduler.agentByName(card.name);
    if (existing && existing.tokenId && existing.tokenId !== token.id) {
      throw new AppError("FORBIDDEN", `Agent name "${card.name}" is registered with another token; pick another name.`);
    }
    const { agent, held } = this.scheduler.registerAgent({
      id: existing?.id ?? newId("ag"),
      name: card.name,
      kind: card.kind,
      capabilities: card.capabilities,
      labels: card.labels,
      channels: card.channels,
      slots: card.slots,
      version: card.version,
      tokenId: token.id,
      pull: transport === "http",
    });
    this.credentialHashes.set(agent.id, token.hash);
    bind?.(agent.id);
    await this.commit();
    return { agentId: agent.id, held, heartbeatIntervalMs: this.opts.heartbeatIntervalMs, leaseTtlMs: this.opts.leaseTtlMs };
  }

  /** Throws unless the agent exists and belongs to the given token. */
  agentOwnedBy(agentId: string, tokenId: string): AgentState {
    const a = this.scheduler.agents.get(agentId);
    if (!a) throw new AppError("NOT_FOUND", `No agent with id ${agentId}; register first.`);
    if (a.tokenId !== tokenId) throw new AppError("FORBIDDEN", `Agent ${agentId} belongs to another token.`);
    return a;
  }

  agentDisconnected(agentId: string, reason = "disconnected") {
    this.scheduler.disconnectAgent(agentId, reason);
    void this.commit();
  }

  async heartbeat(agentId: string, hb: Heartbeat): Promise<CancelNotice[]> {
    const stale = unwrap(this.scheduler.heartbeat(agentId, hb));
    if (hb.cpu !== undefined || hb.memoryMb !== undefined) this.recordSample(agentId, hb.cpu ?? 0, hb.memoryMb ?? 0);
    await this.commit();
    if (hb.taskIds) this.redeliverUnseen(agentId, new Set(hb.taskIds));
    return stale;
  }

  /**
   * Assignments are pushed at least once: one the agent has not accepted and does not list
   * in its heartbeat a while after it was sent was lost on the way (e.g. across a reconnect),
   * so it is pushed again. Agents ignore a repeated push of an attempt they already run.
   */
  private redeliverUnseen(agentId: string, reported: Set<string>) {
    const a = this.scheduler.agents.get(agentId);
    if (!a || a.pull) return;
    const before = this.now - REDELIVER_AFTER_MS;
    const lost = [...a.tasks]
      .map((id) => this.scheduler.tasks.get(id)!)
      .filter((t) => t.status === "assigned" && !reported.has(t.id) && (t.assignedAt ?? 0) < before);
    if (lost.length) {
      log.warn("re-sending assignments the agent does not know", { agentId, tasks: lost.length });
      this.bus.emit("tasksAssigned", lost.map((t) => ({ agentId, assignment: assignmentOf(t) })));
    }
  }

  private recordSample(agentId: string, cpu: number, memoryMb: number) {
    const at = this.now;
    const ring = this.samples.get(agentId) ?? [];
    ring.push({ at, cpu, memoryMb });
    if (ring.length > SAMPLE_RING) ring.shift();
    this.samples.set(agentId, ring);
    if (at - (this.lastSampleSaved.get(agentId) ?? 0) >= SAMPLE_PERSIST_MS) {
      this.lastSampleSaved.set(agentId, at);
      this.pendingSamples.push({ agentId, at, cpu, memoryMb });
    }
  }

  /** Stop (or resume) giving an agent work; what it holds runs to the end. */
  async drainAgent(agentId: string, draining = true) {
    unwrap(this.scheduler.drainAgent(agentId, draining));
    await this.commit();
  }

  /** Requeues several finished tasks (the dead-letter view's bulk action); says what happened to each. */
  async retryMany(ids: string[]): Promise<{ id: string; ok: boolean; message: string | null }[]> {
    const out: { id: string; ok: boolean; message: string | null }[] = [];
    for (const id of ids) {
      try {
        await this.retry(id);
        out.push({ id, ok: true, message: null });
      } catch (e) {
        if (!(e instanceof AppError)) throw e;
        out.push({ id, ok: false, message: e.message });
      }
    }
    return out;
  }

  async accept(agentId: string, taskId: string, attempt: number) {
    unwrap(this.scheduler.accept(agentId, taskId, attempt));
    await this.commit();
  }

  async progress(agentId: string, r: { taskId: string; attempt: number; percent?: number; message?: string; logs: { stream: "stdout" | "stderr" | "info"; line: string }[] }) {
    const outcome = this.scheduler.progress(agentId, r.taskId, r.attempt, r.percent, r.message);
    if (!outcome.ok) {
      await this.commit(); // the rejection itself is recorded in the task's history
      unwrap(outcome);
    }
    const at = this.now;
    for (const l of r.logs) this.pendingLogs.push({ id: ++this.logId, taskId: r.taskId, attempt: r.attempt, at, stream: l.stream, line: l.line });
    await this.commit();
  }

  async complete(agentId: string, taskId: string, attempt: number, result: unknown) {
    const o = this.scheduler.complete(agentId, taskId, attempt, result);
    await this.commit();
    unwrap(o);
  }

  async fail(agentId: string, taskId: string, attempt: number, error: string, retryable: boolean, result?: unknown) {
    const o = this.scheduler.fail(agentId, taskId, attempt, error, retryable, result);
    await this.commit();
    unwrap(o);
  }

  async release(agentId: string, taskId: string, attempt: number, reason: string) {
    const o = this.scheduler.release(agentId, taskId, attempt, reason);
    await this.commit();
    unwrap(o);
  }

  /**
   * HTTP long-poll: returns tasks already assigned to this agent but not yet accepted (a lost
   * response is simply delivered again), or waits up to `waitMs` for new work.
   */
  async claim(agentId: string, waitMs: number): Promise<Assignment[]> {
    const a = this.scheduler.agents.get(agentId);
    if (!a) throw new AppError("NOT_FOUND", `No agent with id ${agentId}; register first.`);
    const unaccepted = [...a.tasks]
      .map((id) => this.scheduler.tasks.get(id)!)
      .filter((t) => t.status === "assigned")
      .map((t) => assignmentOf(t));
    if (unaccepted.length) return unaccepted;
    this.claims.get(agentId)?.resolve([]);
    return new Promise<Assignment[]>((resolve) => {
      const claim: OpenClaim = {
        pending: false,
        resolve: (tasks) => {
          clearTimeout(claim.timer);
          if (this.claims.get(agentId) === claim) this.claims.delete(agentId);
          this.scheduler.setAwaitingClaim(agentId, false);
          resolve(tasks);
        },
        timer: setTimeout(() => {
          if (!claim.pending) claim.resolve([]);
        }, waitMs),
      };
      this.claims.set(agentId, claim);
      this.scheduler.setAwaitingClaim(agentId, true);
      void this.commit();
    });
  }

  private resolveClaim(agentId: string, tasks: Assignment[]) {
    this.claims.get(agentId)?.resolve(tasks);
  }

  // ---- Views ---------------------------------------------------------------------------

  private agentRow(a: AgentState): AgentRow {
    return {
      id: a.id,
      name: a.name,
      kind: a.kind,
      status: this.scheduler.agentStatus(a),
      capabilities: a.capabilities,
      labels: a.labels,
      channels: a.channels,
      slots: a.slots,
      version: a.version,
      cpu: a.cpu,
      memoryMb: a.memoryMb,
      lastHeartbeatAt: a.lastHeartbeatAt,
      connectedAt: a.connectedAt,
      tokenId: a.tokenId,
      credentialHash: this.credentialHashes.get(a.id) ?? null,
    };
  }

  agentView(a: AgentState): AgentView {
    return {
      id: a.id,
      name: a.name,
      kind: a.kind,
      status: this.scheduler.agentStatus(a),
      capabilities: a.capabilities,
      labels: a.labels,
      slots: a.slots,
      slotsUsed: a.tasks.size,
      currentTasks: [...a.tasks].map((id) => ({ id, title: this.scheduler.tasks.get(id)?.title ?? id })),
      version: a.version,
      cpu: a.cpu,
      memoryMb: a.memoryMb,
      lastHeartbeatAt: a.lastHeartbeatAt,
      connectedAt: a.connectedAt,
      health: a.health,
      healthReason: a.healthReason,
      draining: a.draining,
      samples: (this.samples.get(a.id) ?? []).slice(-30),
    };
  }

  agentViews(): AgentView[] {
    return [...this.scheduler.agents.values()].map((a) => this.agentView(a)).sort((x, y) => x.name.localeCompare(y.name));
  }

  taskView(t: TaskState): TaskView {
    // Prefer the live in-memory state: it is at least as new as the stored row.
    const live = this.scheduler.tasks.get(t.id) ?? t;
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
      agentName: live.agentId ? (this.scheduler.agents.get(live.agentId)?.name ?? null) : null,
      progress: live.progress,
      result: live.result ?? null,
      error: live.error,
      timeoutMs: live.timeoutMs,
      progressTimeoutMs: live.progressTimeoutMs,
      queueTimeoutMs: live.queueTimeoutMs,
      idempotencyKey: live.idempotencyKey,
      runId: live.runId,
      stepId: live.stepId,
      createdAt: live.createdAt,
      assignedAt: live.assignedAt,
      startedAt: live.startedAt,
      finishedAt: live.finishedAt,
      notBefore: live.notBefore,
      leaseExpiresAt: live.leaseExpiresAt,
    };
  }

  stats(): FleetStats {
    const now = this.now;
    while (this.finishes.length && this.finishes[0].at < now - STATS_WINDOW_MS) this.finishes.shift();
    const agents = { total: 0, online: 0, busy: 0, draining: 0, offline: 0 };
    for (const a of this.scheduler.agents.values()) {
      agents.total++;
      agents[this.scheduler.agentStatus(a)]++;
    }
    const lastMinute = this.finishes.filter((f) => f.at >= now - 60_000).length;
    const failed = this.finishes.filter((f) => !f.ok).length;
    return {
      agents,
      tasks: this.scheduler.counts(),
      tasksPerMinute: lastMinute,
      failureRate: this.finishes.length ? failed / this.finishes.length : 0,
      at: now,
    };
  }

  async getTask(id: string): Promise<TaskState | null> {
    return this.scheduler.tasks.get(id) ?? (await this.opts.store.getTask(id));
  }

  async taskDetail(id: string): Promise<{ task: TaskView; events: TaskEventView[]; logs: TaskLogLine[]; waiting: WaitingExplanation | null }> {
    const t = await this.getTask(id);
    if (!t) throw new AppError("NOT_FOUND", `No task with id ${id}.`);
    const [events, logs] = await Promise.all([this.opts.store.taskEvents(id, 1000), this.opts.store.taskLogs(id, 2000)]);
    return { task: this.taskView(t), events: events.map((e) => this.named(e)), logs, waiting: this.explain(id) };
  }

  /** Dead tasks, newest first, each with the error of every attempt (the dead-letter view). */
  async deadLetters(q: { limit: number; cursor?: string; search?: string }): Promise<{ items: DeadLetterView[]; nextCursor: string | null }> {
    const page = await this.opts.store.findTasks({ status: "dead", limit: q.limit, cursor: q.cursor, search: q.search });
    const items = await Promise.all(
      page.items.map(async (t) => {
        const events = await this.opts.store.taskEvents(t.id, 1000);
        const attempts = events
          .filter((e) => e.type === "attempt_failed" || e.type === "lease_expired" || e.type === "stuck" || e.type === "dead" || e.type === "failed")
          .map((e) => ({ attempt: e.attempt, at: e.at, type: e.type, agentName: this.named(e).agentName, message: e.message }));
        return { task: this.taskView(t), attempts };
      }),
    );
    return { items, nextCursor: page.nextCursor };
  }

  /** Adds the agent's current name to a history entry. */
  private named<E extends { agentId: string | null }>(e: E): E & { agentName: string | null } {
    return { ...e, agentName: e.agentId ? (this.scheduler.agents.get(e.agentId)?.name ?? null) : null };
  }

  get store() {
    return this.opts.store;
  }
}
