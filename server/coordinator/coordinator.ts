// The coordinator service: the thin shell around the pure Scheduler. It owns the timers, turns
// agent and operator calls into scheduler calls, and writes every change durably before it
// acknowledges it, by group commit: calls made while a batch is being written ride on the
// next batch, so throughput is one transaction per batch rather than one per change.
import type { Qualifiable } from "@/server/core/matching";
import type { Assignment, TaskSpec, Heartbeat, AgentCard, Strategy, Submitter } from "@/lib/protocol";
import { isTerminal } from "@/lib/protocol";
import type { AgentView, DeadLetterView, FleetStats, ResourceSample, TaskEventView, TaskLogLine, TaskView, WaitingExplanation } from "@/lib/api";
import type { Clock } from "@/server/core/clock";
import { STOPPED_BY_OWNER, Scheduler, assignmentOf, type AgentState, type CancelNotice, type Outcome, type TaskState } from "@/server/core/scheduler";
import { recordOutcome, type PerformanceStat } from "@/server/core/balancing";
import { AppError } from "@/server/errors";
import { newId } from "@/server/ids";
import { log } from "@/server/log";
import type { AgentRow, LogRow, Retention, SampleRow, Store, WriteBatch } from "@/server/store/ports";
import { DEFAULT_RETENTION, InsightRecorder } from "./insight-recorder";

/** What the coordinator needs of the store: its tasks and agents, and the batch writer. */
export type CoordinatorStore = Pick<Store, "tasks" | "agents" | "batches" | "insight">;
import { DomainBus } from "./events";
import { ClaimBook } from "./claims";
import { isTransient, isolatePoison } from "./poison";

export interface CoordinatorOptions {
  store: CoordinatorStore;
  clock: Clock;
  heartbeatIntervalMs: number;
  leaseTtlMs: number;
  defaultStrategy: Strategy;
  restoreGraceMs?: number;
  tickMs?: number;
  /** Offline agents holding nothing are forgotten after this long; null: never. */
  forgetOfflineAfterMs?: number | null;
  /** How long history is kept (logs, tasks, samples, rollups). */
  retention?: Retention;
  /** No timers: time moves only when the owner calls tickNow() (a replay on a simulated clock). */
  manualTicks?: boolean;
  /** False records no analytics history (default true). */
  recordInsight?: boolean;
}

/** What a commit tells its callers: records the store refused (keyed `task:<id>`, …), with why. */
export interface CommitResult {
  refused: ReadonlyMap<string, string>;
}

const NOTHING_REFUSED: CommitResult = { refused: new Map() };

interface Deferred {
  promise: Promise<CommitResult>;
  resolve: (r: CommitResult) => void;
}


const SAMPLE_RING = 60;
const SAMPLE_PERSIST_MS = 10_000;
const STATS_WINDOW_MS = 5 * 60_000;
const REDELIVER_AFTER_MS = 1_000;
/** Busy and offered slot-time is accrued into the rollups this often. */
const ACCRUE_MS = 10_000;
/**
 * An agent whose readings alone changed has its row rewritten at most this often: the row's
 * CPU, memory and last heartbeat are for after a restart (live ones are in memory), and a fleet
 * of 2,000 heartbeating every 5 s would otherwise be 400 row writes a second.
 */
const READINGS_ROW_EVERY_MS = 60_000;
/** How often the dashboard is told about agents whose readings changed. */
const SAMPLED_PUSH_MS = 1_000;
const PRUNE_EVERY_MS = 10 * 60_000;
export { STOPPED_BY_OWNER };

function deferred(): Deferred {
  let resolve!: (r: CommitResult) => void;
  const promise = new Promise<CommitResult>((r) => (resolve = r));
  return { promise, resolve };
}

/** Turns a scheduler rejection into an AppError the edges know how to answer. */
function unwrap<T>(o: Outcome<T>): T {
  if (o.ok) return o.value;
  throw new AppError(o.code, o.message);
}

export class Coordinator {
  readonly bus = new DomainBus();
  /** The pure decisions; private: other modules read through the methods below, never reach in. */
  private readonly scheduler: Scheduler;
  private eventId = 0;
  private logId = 0;
  private pendingLogs: (LogRow & { id: number })[] = [];
  private pendingSamples: SampleRow[] = [];
  private samples = new Map<string, ResourceSample[]>();
  private lastSampleSaved = new Map<string, number>();
  private credentialHashes = new Map<string, string | null>();
  private finishes: { at: number; ok: boolean }[] = [];
  private idempotency = new Map<string, string>();
  private readonly claims: ClaimBook;
  private next: Deferred | null = null;
  private scheduled = false;
  private flushing = false;
  private stopped = false;
  private tickTimer: NodeJS.Timeout | null = null;
  private batchSources: { drain(): Pick<WriteBatch, "messages" | "deliveries" | "acks"> }[] = [];
  private pruneTimer: NodeJS.Timeout | null = null;
  private lastAccrue = 0;
  /** When each agent's row was last written, and the agents whose readings wait for theirs. */
  private rowWrittenAt = new Map<string, number>();
  private readingsDue = new Set<string>();
  private lastSampledPush = 0;
  private readingsScannedAt = 0;
  /** Rollups and error groups, recorded with every batch (read by the insight service). */
  readonly insight: InsightRecorder;

  constructor(private readonly opts: CoordinatorOptions) {
    this.scheduler = new Scheduler({
      clock: opts.clock,
      leaseTtlMs: opts.leaseTtlMs,
      defaultStrategy: opts.defaultStrategy,
      restoreGraceMs: opts.restoreGraceMs,
      heartbeatIntervalMs: opts.heartbeatIntervalMs,
      forgetOfflineAfterMs: opts.forgetOfflineAfterMs ?? null,
    });
    this.insight = new InsightRecorder(opts.store.insight, (id) => this.scheduler.agents.get(id));
    this.claims = new ClaimBook({ setAwaiting: (id, w) => this.scheduler.setAwaitingClaim(id, w), commit: () => void this.commit() });
  }

  private get now() {
    return this.opts.clock.now();
  }

  get heartbeatIntervalMs() {
    return this.opts.heartbeatIntervalMs;
  }

  get defaultStrategy(): Strategy {
    return this.opts.defaultStrategy;
  }

  get retention(): Retention {
    return this.opts.retention ?? DEFAULT_RETENTION;
  }

  // ---- Life cycle ----------------------------------------------------------------------

  /** Rebuilds live state from the store: agents start offline, unfinished tasks resume. */
  async start() {
    const [agents, tasks, maxIds] = await Promise.all([this.opts.store.agents.all(), this.opts.store.tasks.unfinished(), this.opts.store.tasks.maxIds(), this.insight.load()]);
    const live = { agents, tasks, maxEventId: maxIds.event };
    this.eventId = maxIds.event;
    this.logId = maxIds.log;
    for (const a of live.agents) {
      this.scheduler.restoreAgent({ ...a, lastHeartbeatAt: a.lastHeartbeatAt, wasConnected: a.status !== "offline", offlineReason: a.offlineReason });
      this.credentialHashes.set(a.id, a.credentialHash);
    }
    for (const t of live.tasks) {
      this.scheduler.restore(t);
      if (t.idempotencyKey) this.idempotency.set(t.idempotencyKey, t.id);
    }
    const outcomes = await this.opts.store.tasks.outcomesSince(this.now - 24 * 3_600_000);
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
    // A first start on an empty store is not a restart: nothing was interrupted.
    if (live.agents.length > 0 || live.tasks.length > 0 || live.maxEventId > 0) {
      this.scheduler.incident(
        "server_restarted",
        `the server started: ${live.agents.length} agents and ${live.tasks.length} unfinished tasks rebuilt from the store`,
        null,
        null,
      );
    }
    await this.opts.store.batches.write({ tasks: [], history: [], logs: [], samples: [], agents: [...this.scheduler.agents.values()].map((a) => this.agentRow(a)) });
    this.lastAccrue = this.now;
    this.insight.accrue(this.now, this.scheduler.agents.values());
    if (!this.opts.manualTicks) {
      this.tickTimer = setInterval(() => this.tick(), this.opts.tickMs ?? 200);
      this.pruneTimer = setInterval(() => void this.prune(), PRUNE_EVERY_MS);
      this.tickTimer.unref?.();
      this.pruneTimer.unref?.();
    }
    log.info("coordinator started", { agents: live.agents.length, unfinishedTasks: live.tasks.length });
  }

  async stop() {
    this.stopped = true;
    if (this.tickTimer) clearInterval(this.tickTimer);
    if (this.pruneTimer) clearInterval(this.pruneTimer);
    this.claims.closeAll();
    this.insight.flushSoon();
    void this.commit();
    await this.flushNow();
  }

  /** One timer tick now, durable when it resolves: for owners that move a simulated clock. */
  tickNow(): Promise<CommitResult> {
    this.tick();
    return this.commit();
  }

  private tick() {
    this.scheduler.tick();
    if (this.now - this.lastSampledPush >= SAMPLED_PUSH_MS) this.pushSampled();
    if (this.opts.recordInsight !== false && this.now - this.lastAccrue >= ACCRUE_MS) {
      this.lastAccrue = this.now;
      this.insight.accrue(this.now, this.scheduler.agents.values());
      void this.commit();
    }
    if (this.scheduler.hasChanges()) void this.commit();
  }

  private async prune() {
    try {
      await this.insight.prune(this.opts.retention ?? DEFAULT_RETENTION, this.now);
      await this.insight.persistSmallState();
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
  commit(): Promise<CommitResult> {
    if (!this.next) this.next = deferred();
    const p = this.next.promise;
    if (!this.scheduled && !this.flushing) {
      this.scheduled = true;
      setImmediate(() => void this.runCycle());
    }
    return p;
  }

  /**
   * Resolves once what has changed so far is in the store — at once when nothing is pending.
   * A read that joins live state (memory) with history (the store) waits on it, so a task that
   * reads as finished never comes with its last log lines still on their way to the disk.
   */
  settled(): Promise<unknown> {
    const idle = !this.scheduled && !this.flushing && !this.next && this.pendingLogs.length === 0 && !this.scheduler.hasChanges();
    return idle ? Promise.resolve() : this.commit();
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
    for (const { agentId } of out.assignments) this.claims.markPending(agentId);
    const history = out.history.map((h) => ({ ...h, id: ++this.eventId }));
    const finishedTasks = [...out.tasks.values()].filter((t) => isTerminal(t.status));
    const insight = this.opts.recordInsight === false ? { batch: {}, events: [] } : this.insight.collect(history, out.tasks, this.now);
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
      agents: this.agentRows(out.agents),
      forgottenAgents: out.forgotten,
      ...insight.batch,
    };
    this.pendingLogs = [];
    this.pendingSamples = [];
    const w0 = performance.now();
    const refused = await this.writeWithRetry(batch);
    if (refused.size) this.dropRefused(refused, out);
    log.debug("batch written", { tasks: batch.tasks.length, events: batch.history.length, agents: batch.agents.length, messages: batch.messages?.length ?? 0, acks: batch.acks?.length ?? 0, writeMs: (performance.now() - w0).toFixed(1) });
    for (const t of finishedTasks) {
      if (t.idempotencyKey && this.idempotency.get(t.idempotencyKey) === t.id) this.idempotency.delete(t.idempotencyKey);
      if (t.status !== "canceled") this.finishes.push({ at: t.finishedAt ?? this.now, ok: t.status === "succeeded" });
    }
    this.flushing = false;
    waiters?.resolve(refused.size ? { refused } : NOTHING_REFUSED);
    for (const id of out.forgotten) {
      this.rowWrittenAt.delete(id);
      this.readingsDue.delete(id);
      this.credentialHashes.delete(id);
      this.samples.delete(id);
      this.lastSampleSaved.delete(id);
    }
    this.publish(out.assignments, out.cancels, batch, [...out.agents]);
    if (insight.events.length) this.bus.emit("errorEvents", insight.events);
    if (this.insight.hasUnwritten) void this.commit();
    if (this.next && !this.scheduled) {
      this.scheduled = true;
      setImmediate(() => void this.runCycle());
    }
  }

  /**
   * A write that fails for a reason that passes (the database is locked, full for a moment) is
   * retried until it lands: acks wait, nothing is lost. One that fails for a reason retrying
   * cannot fix is searched for the records that cause it (poison.ts): the rest is written, and
   * those are refused — to their callers where there is one (a submitted task), else logged.
   */
  private async writeWithRetry(batch: WriteBatch): Promise<Map<string, string>> {
    const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
    for (let attempt = 1; ; attempt++) {
      try {
        await this.opts.store.batches.write(batch);
        return new Map();
      } catch (e) {
        const error = (e as Error).message.split("\n")[0];
        if (!isTransient(e)) {
          log.error("store refused a batch; looking for the records that cause it", { error });
          const refused = await isolatePoison(batch, (b) => this.opts.store.batches.write(b), sleep);
          log.error("store refused records; the rest of the batch is written", { refused: Object.fromEntries(refused) });
          return refused;
        }
        const delay = Math.min(500, 50 * 2 ** attempt);
        log.error("store write failed, retrying", { attempt, delayMs: delay, error });
        await sleep(delay);
      }
    }
  }

  /**
   * Records the store refused are not part of the live state: a task submitted in this cycle
   * is taken back out of the scheduler (its submitter is told), and nothing is pushed for it.
   */
  private dropRefused(refused: Map<string, string>, out: { assignments: { agentId: string; assignment: Assignment }[] }) {
    for (const key of refused.keys()) {
      if (!key.startsWith("task:")) continue;
      const id = key.slice(5);
      const t = this.scheduler.tasks.get(id);
      if (t?.idempotencyKey && this.idempotency.get(t.idempotencyKey) === id) this.idempotency.delete(t.idempotencyKey);
      this.scheduler.dropTask(id);
      for (let i = out.assignments.length - 1; i >= 0; i--) if (out.assignments[i].assignment.taskId === id) out.assignments.splice(i, 1);
    }
  }

  private publish(assignments: { agentId: string; assignment: Assignment }[], cancels: CancelNotice[], batch: WriteBatch, agentIds: string[]) {
    if (batch.tasks.length) this.bus.emit("tasksChanged", batch.tasks);
    if (agentIds.length) this.bus.emit("agentsChanged", agentIds);
    if (batch.forgottenAgents?.length) this.bus.emit("agentsForgotten", batch.forgottenAgents);
    if (batch.history.length) this.bus.emit("taskEventsRecorded", batch.history.map((h) => this.named(h)));
    if (batch.logs.length) this.bus.emit("taskLogsAppended", batch.logs.map(({ id: _id, ...l }) => l));
    if (batch.incidents?.length) this.bus.emit("incidentsRecorded", batch.incidents.map((i) => ({ ...i, id: 0, agentName: i.agentId ? (this.scheduler.agents.get(i.agentId)?.name ?? null) : null })));
    const push: { agentId: string; assignment: Assignment }[] = [];
    const pulled = new Map<string, Assignment[]>();
    for (const a of assignments) {
      if (this.claims.has(a.agentId)) pulled.set(a.agentId, [...(pulled.get(a.agentId) ?? []), a.assignment]);
      else push.push(a);
    }
    for (const [agentId, tasks] of pulled) this.claims.answer(agentId, tasks);
    if (push.length) this.bus.emit("tasksAssigned", push);
    if (cancels.length) this.bus.emit("attemptsCanceled", cancels);
  }

  // ---- Operators -----------------------------------------------------------------------

  /**
   * `submittedBy` is who asked (carried to the agent, matched against its acceptFrom rules);
   * `link` ties every task of this call to a workflow step (used by the workflow service).
   */
  async submit(specs: TaskSpec[], opts: { submittedBy: Submitter | null; link?: { runId: string; stepId: string; template: string } }): Promise<TaskState[]> {
    const link = opts.link;
    const existing = new Map<number, TaskState>();
    for (const [i, s] of specs.entries()) {
      if (!s.idempotencyKey || this.idempotency.has(s.idempotencyKey)) continue;
      const found = await this.opts.store.tasks.byIdempotencyKey(s.idempotencyKey);
      if (found) existing.set(i, found);
    }
    const created: TaskState[] = [];
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
        template: link?.template ?? null,
        submittedBy: opts.submittedBy,
      });
      if (t.idempotencyKey) this.idempotency.set(t.idempotencyKey, t.id);
      created.push(t);
      return t;
    });
    if (created.length) this.bus.emit("tasksSubmitted", created);
    const { refused } = await this.commit();
    const lost = result.filter((t) => refused.has(`task:${t.id}`));
    if (lost.length) {
      const kept = result.filter((t) => !refused.has(`task:${t.id}`));
      const why = lost.map((t) => `"${t.title.slice(0, 60)}": ${refused.get(`task:${t.id}`)}`).join("; ");
      throw new AppError(
        "BAD_REQUEST",
        `The store refused ${lost.length === 1 ? "the task" : `${lost.length} tasks`} (${why}), so ${lost.length === 1 ? "it was" : "they were"} not queued${kept.length ? `; the other ${kept.length} were` : ""}.`,
        kept.length ? { queued: kept.map((t) => t.id) } : undefined,
      );
    }
    return result;
  }

  async cancel(id: string, reason = "canceled by operator"): Promise<TaskState> {
    const r = this.scheduler.cancel(id, reason);
    if (!r.ok) {
      const stored = await this.opts.store.tasks.get(id);
      if (!stored) throw new AppError("NOT_FOUND", `No task with id ${id}.`);
      throw new AppError("CONFLICT", `Task ${id} is already ${stored.status}; only unfinished tasks can be canceled.`);
    }
    await this.commit();
    return r.value;
  }

  async retry(id: string): Promise<TaskState> {
    const live = this.scheduler.tasks.get(id);
    if (live) throw new AppError("CONFLICT", `Task ${id} is still ${live.status}; only finished tasks can be retried.`);
    const stored = await this.opts.store.tasks.get(id);
    if (!stored) throw new AppError("NOT_FOUND", `No task with id ${id}.`);
    if (stored.status === "succeeded") throw new AppError("CONFLICT", `Task ${id} succeeded; submit a new task to run it again.`);
    if (stored.runId) throw new AppError("CONFLICT", `Task ${id} is step ${stored.stepId} of workflow run ${stored.runId}; re-run that step from the run instead.`);
    if (this.scheduler.tasks.has(id)) throw new AppError("CONFLICT", `Task ${id} was just retried.`);
    const t = this.scheduler.requeue(stored, "retried by operator");
    if (t.idempotencyKey) this.idempotency.set(t.idempotencyKey, t.id);
    await this.commit();
    return t;
  }

  // ---- Agents --------------------------------------------------------------------------

  /**
   * `bind` runs before anything is dispatched to the agent, so a transport can route the
   * assignments that the registration itself makes possible.
   */
  async registerAgent(card: AgentCard, token: { id: string; hash: string }, transport: "socket" | "http" | "mcp", bind?: (agentId: string) => void) {
    const existing = this.scheduler.agentByName(card.name);
    if (existing && existing.tokenId && existing.tokenId !== token.id) {
      throw new AppError("FORBIDDEN", `Agent name "${card.name}" is registered with another token; pick another name.`);
    }
    this.insight.agentRegistered(card.name, existing ? existing.version : null, card.version, this.now);
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
      pull: transport !== "socket",
      acceptFrom: card.acceptFrom,
      leaseTtlMs: card.leaseTtlMs ?? null,
    });
    this.credentialHashes.set(agent.id, token.hash);
    bind?.(agent.id);
    await this.commit();
    return { agentId: agent.id, held, heartbeatIntervalMs: this.opts.heartbeatIntervalMs, leaseTtlMs: this.scheduler.ttl(agent) };
  }

  /** Throws unless the agent exists and belongs to the given token. */
  agentOwnedBy(agentId: string, tokenId: string): AgentState {
    const a = this.scheduler.agents.get(agentId);
    if (!a) throw new AppError("NOT_FOUND", `No agent with id ${agentId}; register first.`);
    if (a.tokenId !== tokenId) throw new AppError("FORBIDDEN", `Agent ${agentId} belongs to another token.`);
    return a;
  }

  agentDisconnected(agentId: string, reason = "connection lost") {
    this.scheduler.disconnectAgent(agentId, reason);
    void this.commit();
  }

  /** The agent said it stops (HTTP and MCP agents have no connection whose close says so). */
  async agentStopped(agentId: string) {
    this.claims.close(agentId);
    this.scheduler.disconnectAgent(agentId, STOPPED_BY_OWNER);
    await this.commit();
  }

  /** An operator removes an offline agent from the fleet (its history stays); returns it as it was. */
  async forgetAgent(agentId: string): Promise<Readonly<AgentState>> {
    const a = unwrap(this.scheduler.forgetAgent(agentId));
    await this.commit();
    return a;
  }

  async heartbeat(agentId: string, hb: Heartbeat): Promise<CancelNotice[]> {
    const stale = unwrap(this.scheduler.heartbeat(agentId, hb));
    if (hb.cpu !== undefined || hb.memoryMb !== undefined) this.recordSample(agentId, hb.cpu ?? 0, hb.memoryMb ?? 0);
    // A heartbeat that only renews leases and readings has nothing to make durable (leases are
    // not stored: a restart gives every restored task a fresh grace); one that brought the
    // agent back (online, healthy) does, and is answered once that is written.
    if (this.scheduler.hasChanges()) await this.commit();
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
      const a = this.scheduler.agents.get(agentId);
      if (a) this.insight.sample(at, a, cpu, memoryMb);
    }
  }

  /** Stop (or resume) giving an agent work; what it holds runs to the end. */
  async drainAgent(agentId: string, draining = true) {
    unwrap(this.scheduler.drainAgent(agentId, draining));
    await this.commit();
  }

  /** An operator resolves, ignores or reopens an error group; durable when this returns. */
  async setErrorGroupStatus(id: string, status: "open" | "resolved" | "ignored", by: string) {
    const g = this.insight.errors.setStatus(id, status, by, this.now);
    if (!g) throw new AppError("NOT_FOUND", `No error group ${id}.`);
    await this.commit();
    return g;
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
    this.insight.logs(r.taskId, r.logs);
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
   * response is simply delivered again), or waits up to `waitMs` for new work. When `signal`
   * aborts (the caller's connection closed) the claim is withdrawn at once, so nothing is
   * assigned to a poller that is gone; work a batch in flight already gave it comes back to
   * the caller, who hands it back with `returnUndelivered` if it cannot write the answer.
   */
  async claim(agentId: string, waitMs: number, signal?: AbortSignal): Promise<Assignment[]> {
    const a = this.scheduler.agents.get(agentId);
    if (!a) throw new AppError("NOT_FOUND", `No agent with id ${agentId}; register first.`);
    const unaccepted = [...a.tasks]
      .map((id) => this.scheduler.tasks.get(id)!)
      .filter((t) => t.status === "assigned")
      .map((t) => assignmentOf(t));
    if (unaccepted.length) return unaccepted;
    return this.claims.wait(agentId, waitMs, signal);
  }

  /**
   * A claim's answer could not be written (its connection closed): the tasks go straight back
   * to the queue, without using up an attempt.
   */
  async returnUndelivered(agentId: string, tasks: Assignment[]) {
    if (tasks.length === 0) return;
    for (const t of tasks) this.scheduler.release(agentId, t.taskId, t.attempt, "the claim's connection closed before its answer was written");
    if (tasks.length) log.warn("handed back assignments whose claim answer was not delivered", { agentId, tasks: tasks.length });
    await this.commit();
  }

  // ---- Views ---------------------------------------------------------------------------

  /**
   * The rows of the agents that changed, and of those whose readings have waited long enough
   * (READINGS_ROW_EVERY_MS); the others' readings wait in readingsDue.
   */
  private agentRows(changed: Set<string>): AgentRow[] {
    const now = this.now;
    const rows: AgentRow[] = [];
    const add = (id: string) => {
      const a = this.scheduler.agents.get(id);
      if (!a) return;
      rows.push(this.agentRow(a));
      this.rowWrittenAt.set(id, now);
      this.readingsDue.delete(id);
    };
    for (const id of changed) add(id);
    // Looked through once a second, not at every commit (a busy server commits hundreds of times).
    if (now - this.readingsScannedAt >= SAMPLED_PUSH_MS) {
      this.readingsScannedAt = now;
      for (const id of this.readingsDue) if (now - (this.rowWrittenAt.get(id) ?? 0) >= READINGS_ROW_EVERY_MS) add(id);
    }
    return rows;
  }

  /** Tells the dashboard whose readings changed, and commits the rows that are due. */
  private pushSampled() {
    this.lastSampledPush = this.now;
    const ids = this.scheduler.takeSampled();
    if (ids.size === 0) return;
    for (const id of ids) this.readingsDue.add(id);
    this.bus.emit("agentsSampled", [...ids]);
    for (const id of this.readingsDue) {
      if (this.now - (this.rowWrittenAt.get(id) ?? 0) >= READINGS_ROW_EVERY_MS) {
        this.readingsScannedAt = 0;
        void this.commit();
        break;
      }
    }
  }

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
      offlineReason: a.connected ? null : a.healthReason,
      acceptFrom: a.acceptFrom,
    };
  }

  async getTask(id: string): Promise<TaskState | null> {
    return this.scheduler.tasks.get(id) ?? (await this.opts.store.tasks.get(id));
  }

  explain(id: string): WaitingExplanation | null {
    return this.scheduler.explain(id);
  }

  /** Adds the agent's current name to a history entry. */
  private named<E extends { agentId: string | null }>(e: E): E & { agentName: string | null } {
    return { ...e, agentName: e.agentId ? (this.scheduler.agents.get(e.agentId)?.name ?? null) : null };
  }

  // ---- Reading the live state (read-only; every other module reads through these) ----

  /** A registered agent by id. */
  agent(id: string): Readonly<AgentState> | undefined {
    return this.scheduler.agents.get(id);
  }

  /** A registered agent by id, else by name (the MCP tools and messaging take either). */
  agentNamed(idOrName: string): Readonly<AgentState> | undefined {
    return this.scheduler.agents.get(idOrName) ?? this.scheduler.agentByName(idOrName);
  }

  /** Every registered agent, in registration order. */
  agentList(): Readonly<AgentState>[] {
    return [...this.scheduler.agents.values()];
  }

  agentStatus(a: Readonly<AgentState>) {
    return this.scheduler.agentStatus(a as AgentState);
  }

  /** An unfinished task as it is now (finished tasks live only in the store). */
  liveTask(id: string): Readonly<TaskState> | undefined {
    return this.scheduler.tasks.get(id);
  }

  /** Queued tasks an agent with this card could take (a pool's backlog). */
  backlogFor(card: Qualifiable): number {
    return this.scheduler.backlogFor(card);
  }

  /** Queued, assigned and running tasks, counted. */
  /** Tasks the scheduler holds in memory: queued, assigned or running. */
  unfinishedCount(): number {
    return this.scheduler.tasks.size;
  }

  taskCounts() {
    return this.scheduler.counts();
  }

  /** The last heartbeats of an agent, oldest first (kept in memory for sparklines). */
  recentSamples(agentId: string): ResourceSample[] {
    return (this.samples.get(agentId) ?? []).slice(-30);
  }

  /** Finished tasks in the recent window: how many, how many in the last minute, how many failed. */
  finishRates() {
    const now = this.now;
    while (this.finishes.length && this.finishes[0].at < now - STATS_WINDOW_MS) this.finishes.shift();
    let lastMinute = 0;
    let failed = 0;
    for (const f of this.finishes) {
      if (f.at >= now - 60_000) lastMinute++;
      if (!f.ok) failed++;
    }
    return { total: this.finishes.length, lastMinute, failed, at: now };
  }

  /**
   * The agent a task report comes from: the task's holder, which must belong to the reporting
   * token. One check for REST and MCP (sockets know their agent already).
   */
  holderOf(taskId: string, tokenId: string): string {
    const t = this.scheduler.tasks.get(taskId);
    if (!t || !t.agentId) throw new AppError("STALE_ATTEMPT", `Task ${taskId} is not assigned to any agent now (it may have finished, been canceled or reassigned).`);
    this.agentOwnedBy(t.agentId, tokenId);
    return t.agentId;
  }
}
