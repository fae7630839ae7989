// The coordinator's history keeper: every group-commit cycle it turns the scheduler's history
// into rollup increments and error occurrences that ride on the same transaction (so analytics
// can never disagree with what was durably recorded), and it prunes what is past retention in
// small batches between cycles. The decisions are pure (server/core/insight); this module owns
// the little state they need across cycles — log tails, agent versions, the error book.
import type { AgentState, HistoryEntry, TaskState } from "@/server/core/scheduler";
import { ErrorBook, type ErrorEvent, type FailureFact } from "@/server/core/insight/errors";
import { RollupRecorder, labelsOf, type AgentFacts } from "@/server/core/insight/recorder";
import type { InsightRepository, Retention, RollupRow, WriteBatch } from "@/server/store/ports";
import type { Counters, RollupBuffer, RollupKey } from "@/server/core/insight/rollup";
import { log } from "@/server/log";

/** The last lines of output of a running attempt, for fingerprints and samples. */
const TAIL_LINES = 5;
const VERSION_CHANGES_KEY = "agent-version-changes";
const MAX_VERSION_CHANGES = 200;

export const DEFAULT_RETENTION: Retention = {
  logsMs: 14 * 86_400_000,
  tasksMs: 90 * 86_400_000,
  samplesMs: 7 * 86_400_000,
  minuteRollupsMs: 2 * 86_400_000,
  rollupsMs: 400 * 86_400_000,
};

export interface VersionChange {
  agentName: string;
  from: string;
  to: string;
  at: number;
}

/**
 * Rollup increments are written at most this often (and at stop). Written every cycle, their
 * wide upserts cost dispatch half its throughput; reads add the unwritten ones (`pending`), so
 * figures are exact at any moment, and a crash loses at most this much of the counts — never a
 * task, whose own rows are written every cycle.
 */
export const ROLLUP_FLUSH_MS = 5_000;
/**
 * Rollup rows per batch at most. A flush of a fleet of 2,000 (busy seconds per agent, label and
 * capability, in minutes, hours and days) is ~20,000 upserts: in one transaction that froze
 * the loop for a second every flush; in slices it rides along with the next cycles.
 */
export const ROLLUP_ROWS_PER_BATCH = 512;

export class InsightRecorder {
  private readonly rollups: RollupRecorder;
  private book = new ErrorBook([]);
  private tails = new Map<string, { stream: string; line: string }[]>();
  private versionChanges: VersionChange[] = [];
  private versionsDirty = false;
  /** What happened to the previous event of a task in this cycle (a lost attempt records two). */
  private lastType = new Map<string, string>();
  private lastFlush = 0;
  private flushNext = false;
  /** Drained from the buffer, not yet handed to a batch (written in slices, oldest first). */
  private unwritten: { key: RollupKey; counters: Counters }[] = [];

  constructor(
    private readonly store: InsightRepository,
    private readonly agentOf: (id: string) => AgentState | undefined,
  ) {
    this.rollups = new RollupRecorder((id) => this.agentOf(id));
  }

  async load() {
    const [groups, changes] = await Promise.all([this.store.errorGroups(), this.store.meta(VERSION_CHANGES_KEY)]);
    this.book = new ErrorBook(groups);
    try {
      this.versionChanges = changes ? (JSON.parse(changes) as VersionChange[]) : [];
    } catch {
      this.versionChanges = [];
    }
  }

  get errors(): ErrorBook {
    return this.book;
  }

  get agentVersionChanges(): readonly VersionChange[] {
    return this.versionChanges;
  }

  logs(taskId: string, lines: readonly { stream: string; line: string }[]) {
    if (!lines.length) return;
    const tail = this.tails.get(taskId) ?? [];
    for (const l of lines.slice(-TAIL_LINES)) tail.push({ stream: l.stream, line: l.line });
    if (tail.length > TAIL_LINES) tail.splice(0, tail.length - TAIL_LINES);
    this.tails.set(taskId, tail);
  }

  sample(at: number, agent: AgentState, cpu: number, memoryMb: number) {
    const cpuPct = agent.cpuCount ? cpu / agent.cpuCount : cpu;
    this.rollups.buffer.sample(at, agent.name, cpuPct, memoryMb);
  }

  /** An agent registered: a changed version is remembered, for "began right after the upgrade". */
  agentRegistered(name: string, before: string | null, version: string, at: number) {
    if (before == null || before === version) return;
    this.versionChanges.push({ agentName: name, from: before, to: version, at });
    if (this.versionChanges.length > MAX_VERSION_CHANGES) this.versionChanges.splice(0, this.versionChanges.length - MAX_VERSION_CHANGES);
    this.versionsDirty = true;
  }

  accrue(now: number, agents: Iterable<AgentState>) {
    this.rollups.accrue(now, agents as Iterable<AgentFacts>);
  }

  /** The next cycle writes the rollups whatever the time (at stop). */
  flushSoon() {
    this.flushNext = true;
  }

  /** Rollup increments not written yet, as rows (read-only). */
  pending(only?: Parameters<RollupBuffer["peek"]>[0]): RollupRow[] {
    const dims = only?.dims ? new Set(only.dims) : null;
    const queued = this.unwritten.filter((r) => (!only?.granularity || r.key.granularity === only.granularity) && (!dims || dims.has(r.key.dim)));
    return [...queued, ...this.rollups.buffer.peek(only)].map((r) => ({ ...r.key, counters: r.counters }));
  }

  /** Whether rollup rows wait for a batch (the coordinator runs another cycle for them). */
  get hasUnwritten(): boolean {
    return this.unwritten.length > 0;
  }

  /** What this cycle adds to the batch: error groups and occurrences, and rollup increments when due. */
  collect(history: readonly HistoryEntry[], tasks: ReadonlyMap<string, TaskState>, now: number): { batch: Pick<WriteBatch, "rollups" | "errorGroups" | "errorOccurrences">; events: ErrorEvent[] } {
    this.rollups.record(history, tasks);
    const occurrences: NonNullable<WriteBatch["errorOccurrences"]> = [];
    const events: ErrorEvent[] = [];
    this.lastType.clear();
    for (const h of history) {
      const t = tasks.get(h.taskId);
      const previous = this.lastType.get(h.taskId);
      this.lastType.set(h.taskId, h.type);
      if (!t) continue;
      const fact = this.failure(h, t, previous);
      if (fact) {
        const o = this.book.observe(fact);
        occurrences.push(o.occurrence);
        this.rollups.buffer.errorOccurred(fact.at, o.occurrence.groupId);
        events.push(...o.events);
      }
      if (h.type === "succeeded" || h.type === "failed" || h.type === "dead" || h.type === "canceled") this.tails.delete(h.taskId);
      else if (h.type === "retry_scheduled" || h.type === "released" || h.type === "requeued") this.tails.delete(h.taskId);
    }
    const everything = this.flushNext;
    const due = everything || now - this.lastFlush >= ROLLUP_FLUSH_MS || now < this.lastFlush;
    if (due) {
      this.flushNext = false;
      this.lastFlush = now;
      for (const r of this.rollups.buffer.drain(everything ? undefined : now)) this.unwritten.push(r);
    }
    // At stop (everything), one batch: nothing waits for dispatch any more, and it is faster.
    const rollups = everything || this.unwritten.length <= ROLLUP_ROWS_PER_BATCH ? this.unwritten.splice(0) : this.unwritten.splice(0, ROLLUP_ROWS_PER_BATCH);
    return { batch: { rollups, errorGroups: this.book.drainChanged(), errorOccurrences: occurrences }, events };
  }

  /** A failed attempt, or a task that died without one (queue timeout), as a fact for the error book. */
  private failure(h: HistoryEntry, t: TaskState, previous: string | undefined): FailureFact | null {
    let error: string;
    // The raw error, not the history line: a last attempt's line adds "(attempt 3 of 3, no
    // retries left)", and the same failure must land in the same group on every attempt.
    if (h.type === "attempt_failed") error = h.message ?? t.error ?? "failed";
    else if (h.type === "failed") error = t.error ?? h.message ?? "failed";
    else if (h.type === "lease_expired") error = "lease expired: the agent stopped heartbeating";
    else if (h.type === "dead" && previous !== "lease_expired") error = t.error ?? h.message ?? "dead";
    else return null;
    const a = h.agentId ? this.agentOf(h.agentId) : undefined;
    return {
      taskId: t.id,
      attempt: h.attempt,
      at: h.at,
      error,
      lastLines: this.tails.get(t.id) ?? [],
      agentId: h.agentId,
      agentName: a?.name ?? null,
      agentVersion: a ? a.version || null : null,
      capability: t.requirements[0]?.name ?? null,
      template: t.template,
      labels: a ? labelsOf(a.labels) : [],
      cpuPct: a?.cpu != null ? (a.cpuCount ? a.cpu / a.cpuCount : a.cpu) : null,
      memPct: a?.memoryMb != null && a.memoryTotalMb ? (100 * a.memoryMb) / a.memoryTotalMb : null,
    };
  }

  /** Writes what is not in a batch (agent version changes); cheap, rare. */
  async persistSmallState() {
    if (!this.versionsDirty) return;
    this.versionsDirty = false;
    await this.store.setMeta(VERSION_CHANGES_KEY, JSON.stringify(this.versionChanges));
  }

  /**
   * Deletes history past retention, a small batch per table at a time with a pause between
   * batches, so a large backlog (a first start after months) never holds the database for long.
   */
  async prune(retention: Retention, now: number, opts: { batch?: number; pauseMs?: number; maxRounds?: number } = {}): Promise<number> {
    const batch = opts.batch ?? 500;
    let total = 0;
    for (let round = 0; round < (opts.maxRounds ?? 1_000); round++) {
      const n = await this.store.prune(retention, now, batch);
      total += n;
      if (n === 0) break;
      await new Promise((r) => setTimeout(r, opts.pauseMs ?? 50));
    }
    if (retention.tasksMs != null) this.book.forgetBefore(now - retention.tasksMs);
    if (total) log.info("pruned history past retention", { rows: total });
    return total;
  }
}
