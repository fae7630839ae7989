// The workflow service: the shell around the pure run engine (server/core/workflow). It turns
// ready steps into coordinator tasks, reacts to those tasks' outcomes, runs gates, keeps runs
// durable (so a run survives a restart) and publishes every change for the dashboard.
//
// All state changes go through one serial queue: task events, operator calls and timers can
// arrive together, and a run must see them one at a time.
import { EventEmitter } from "node:events";
import fs from "node:fs";
import path from "node:path";
import type { Coordinator } from "@/server/coordinator/coordinator";
import type { Clock } from "@/server/core/clock";
import type { TaskState } from "@/server/core/scheduler";
import { AppError } from "@/server/errors";
import { newId } from "@/server/ids";
import { log } from "@/server/log";
import { isTerminal, type TaskSpec } from "@/lib/protocol";
import { WORKFLOW_LIMITS } from "@/lib/workflow";
import { countStatuses, type GateDecisionView, type ParamValues, type RunStatus, type RunSummary, type RunView, type StepStatus, type StepView, type TemplateVersionView, type ValidationIssue } from "@/lib/api";
import type { Template } from "@/lib/workflow";
import { parseTemplateSource, validateTemplate } from "@/server/core/workflow/validate";
import { resolveParams } from "@/server/core/workflow/params";
import { expandSteps } from "@/server/core/workflow/expand";
import { interpolate, interpolateKnown } from "@/server/core/workflow/interpolate";
import { interpolateCommand } from "@/server/core/workflow/shell-interpolate";
import { evaluate, parseExpression } from "@/server/core/workflow/expression";
import * as engine from "@/server/core/workflow/run-engine";
import type { InsightRepository, RunRecord, StepRecord, WorkflowRepository } from "@/server/store/ports";
import { addRun, parseDay, type RunFacts } from "@/server/core/insight/workflow-stats";

interface ActiveRun {
  run: RunRecord;
  steps: StepRecord[];
  byId: Map<string, StepRecord>;
  dirty: Set<string>;
  /** The engine's view of the run. Its steps are the records above: the engine sets their status. */
  state: engine.RunState;
}

export interface WorkflowEvents {
  runChanged: [RunView];
  approvalsChanged: [number];
}

export type SourceFormat = "yaml" | "json";

const BUILTIN_DIR = path.resolve(import.meta.dirname, "..", "..", "workflows", "builtin");

export class WorkflowService {
  readonly bus = new EventEmitter<WorkflowEvents>();
  private active = new Map<string, ActiveRun>();
  private queue: Promise<unknown> = Promise.resolve();
  private timer: NodeJS.Timeout | null = null;
  private lastPending = -1;

  constructor(private readonly deps: { store: WorkflowRepository; coordinator: Coordinator; clock: Clock; insight?: InsightRepository }) {}

  private get now() {
    return this.deps.clock.now();
  }

  /** Runs `fn` after every change queued before it. */
  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const p = this.queue.then(fn);
    this.queue = p.catch(() => {});
    return p;
  }

  // ---- Life cycle ----------------------------------------------------------------------

  async start() {
    await this.seedBuiltins();
    for (const { run, steps } of await this.deps.store.activeRuns()) this.track(run, steps);
    this.deps.coordinator.bus.on("tasksChanged", (tasks) => {
      const mine = tasks.filter((t) => t.runId && this.active.has(t.runId));
      if (mine.length) void this.serial(() => this.onTasks(mine)).catch((e) => log.error("workflow task update failed", { error: (e as Error).stack }));
    });
    // Tasks may have finished while the runs were not being watched (a crash between the two).
    await this.serial(async () => {
      for (const a of this.active.values()) {
        const tasks: TaskState[] = [];
        for (const s of a.steps) {
          if (!s.taskId || !["queued", "running"].includes(s.status)) continue;
          const t = await this.deps.coordinator.getTask(s.taskId);
          if (t) tasks.push(t);
        }
        await this.onTasks(tasks);
        await this.advance(a);
      }
    });
    this.timer = setInterval(
      () => void this.serial(() => this.checkDeadlines()).catch((e) => log.error("approval deadline check failed", { error: (e as Error).message.split("\n")[0] })),
      1000,
    );
    this.timer.unref?.();
    log.info("workflows started", { activeRuns: this.active.size });
  }

  async stop() {
    if (this.timer) clearInterval(this.timer);
    await this.queue;
  }

  private async seedBuiltins() {
    if (!fs.existsSync(BUILTIN_DIR)) return;
    for (const file of fs.readdirSync(BUILTIN_DIR).filter((f) => /\.(ya?ml|json)$/.test(f)).sort()) {
      const source = fs.readFileSync(path.join(BUILTIN_DIR, file), "utf8");
      const format: SourceFormat = file.endsWith(".json") ? "json" : "yaml";
      const r = this.validate(source, format);
      if (!r.ok) {
        log.error("built-in workflow template is invalid", { file, issues: r.issues.map((i) => i.message).join("; ") });
        continue;
      }
      await this.deps.store.saveTemplate({ template: r.template, source, format, createdBy: "builtin", builtin: true });
    }
  }

  // ---- Templates -----------------------------------------------------------------------

  validate(source: string, format: SourceFormat): { ok: true; template: Template } | { ok: false; issues: ValidationIssue[] } {
    const parsed = parseTemplateSource(source, format);
    if (!parsed.ok) return parsed;
    return validateTemplate(parsed.value);
  }

  /** The steps a template would run with its default parameters (the editor's preview). */
  previewGraph(t: Template) {
    const defaults: ParamValues = {};
    for (const p of t.params) {
      if (p.default !== undefined) defaults[p.name] = p.default;
      else defaults[p.name] = p.type === "number" ? 1 : p.type === "boolean" ? false : p.type === "enum" ? (p.values?.[0] ?? "") : p.name;
    }
    return expandSteps(t, defaults).map((s) => ({
      id: s.id,
      type: s.type,
      title: interpolateKnown(s.title, { params: defaults, run: { id: "(preview)", template: t.name }, ...(s.index != null ? { index: s.index } : {}) }),
      dependsOn: s.dependsOn,
    }));
  }

  async apply(source: string, format: SourceFormat, by: string): Promise<{ version: TemplateVersionView; created: boolean }> {
    const r = this.validate(source, format);
    if (!r.ok) throw new ValidationError(r.issues);
    const before = await this.deps.store.getTemplate(r.template.name);
    const version = await this.deps.store.saveTemplate({ template: r.template, source, format, createdBy: by });
    return { version, created: before?.template.latestVersion !== version.version };
  }

  findTemplates() {
    return this.deps.store.findTemplates();
  }

  async getTemplate(name: string, version?: number) {
    const t = await this.deps.store.getTemplate(name, version);
    if (!t) throw new AppError("NOT_FOUND", version ? `Template ${name} has no version ${version}.` : `No workflow template named ${name}.`);
    return t;
  }

  // ---- Runs ----------------------------------------------------------------------------

  startRun(name: string, given: Record<string, unknown>, by: string, version?: number): Promise<RunView> {
    return this.serial(async () => {
      const t = await this.getTemplate(name, version);
      const template = t.version.definition;
      const params = resolveParams(template, given);
      if (!params.ok) throw new ValidationError(params.issues, "Invalid parameters");
      const plan = expandSteps(template, params.values);
      if (plan.length > WORKFLOW_LIMITS.plannedSteps)
        throw new AppError("BAD_REQUEST", `These parameters expand ${template.name} to ${plan.length} steps; a run may have at most ${WORKFLOW_LIMITS.plannedSteps}.`);
      const run: RunRecord = {
        id: newId("run"),
        templateName: template.name,
        templateVersion: t.version.version,
        status: "running",
        params: params.values,
        failurePolicy: template.failurePolicy,
        concurrency: template.concurrency,
        triggeredBy: by,
        error: null,
        createdAt: this.now,
        finishedAt: null,
      };
      // What titles need from parameters is filled in now; references to results wait for the step's start.
      const early = (p: (typeof plan)[number]) =>
        interpolateKnown(p.title, { params: params.values, run: { id: run.id, template: run.templateName }, ...(p.index != null ? { index: p.index } : {}) });
      const steps: StepRecord[] = plan.map((p, i) => ({
        runId: run.id,
        id: p.id,
        templateStepId: p.templateStepId,
        position: i,
        type: p.type,
        title: early(p),
        status: "pending",
        dependsOn: p.dependsOn,
        def: p.def,
        fanIndex: p.index,
        taskId: null,
        agentId: null,
        attempt: 0,
        result: null,
        error: null,
        decisions: [],
        approvalDeadline: null,
        startedAt: null,
        finishedAt: null,
      }));
      await this.deps.store.createRun(run, steps);
      const a = this.track(run, steps);
      log.info("workflow run started", { run: run.id, template: `${run.templateName}@${run.templateVersion}`, steps: steps.length, by });
      await this.advance(a);
      return this.view(a);
    });
  }

  async getRun(id: string): Promise<RunView> {
    const a = this.active.get(id);
    if (a) return this.view(a);
    const stored = await this.deps.store.getRun(id);
    if (!stored) throw new AppError("NOT_FOUND", `No workflow run with id ${id}.`);
    return this.viewOf(stored.run, stored.steps);
  }

  async findRuns(q: { status?: RunStatus; template?: string; search?: string; limit: number; cursor?: string }) {
    const page = await this.deps.store.findRuns(q);
    return {
      items: page.items.map(({ run, statuses }) => {
        const live = this.active.get(run.id);
        return live ? this.summary(live.run, live.steps) : this.summaryOf(run, statuses);
      }),
      nextCursor: page.nextCursor,
    };
  }

  cancelRun(id: string, by: string): Promise<RunView> {
    return this.serial(async () => {
      const a = this.active.get(id);
      if (!a) {
        const stored = await this.deps.store.getRun(id);
        if (!stored) throw new AppError("NOT_FOUND", `No workflow run with id ${id}.`);
        throw new AppError("CONFLICT", `Run ${id} already ${stored.run.status}.`);
      }
      a.run.error = `canceled by ${by}`;
      const { toCancel } = this.withEngine(a, () => engine.cancelRun(a.state));
      await this.cancelSteps(a, toCancel, `run canceled by ${by}`);
      await this.advance(a);
      return this.view(a);
    });
  }

  rerun(id: string, fromStep: string, by: string): Promise<RunView> {
    return this.serial(async () => {
      if (this.active.has(id)) throw new AppError("CONFLICT", `Run ${id} is still running; cancel it or wait for it to end before re-running a step.`);
      const stored = await this.deps.store.getRun(id);
      if (!stored) throw new AppError("NOT_FOUND", `No workflow run with id ${id}.`);
      const a = this.track(stored.run, stored.steps);
      const before = new Map(a.steps.map((x) => [x.id, x.status]));
      try {
        engine.rerunFrom(a.state, fromStep);
      } catch (e) {
        this.active.delete(id);
        throw new AppError(e instanceof engine.RunEngineError ? "CONFLICT" : "INTERNAL", (e as Error).message);
      }
      for (const x of a.steps) {
        if (x.status !== "pending" || before.get(x.id) === "pending") continue;
        Object.assign(x, { taskId: null, agentId: null, attempt: 0, result: null, error: null, decisions: [], approvalDeadline: null, startedAt: null, finishedAt: null });
        a.dirty.add(x.id);
      }
      Object.assign(a.run, { status: "running", finishedAt: null, error: null });
      log.info("workflow run re-run", { run: id, from: fromStep, by });
      await this.advance(a);
      return this.view(a);
    });
  }

  /** An operator's decision on an approval gate. */
  decide(runId: string, stepId: string, decision: "approve" | "reject", by: string, comment?: string): Promise<RunView> {
    return this.serial(async () => {
      const a = this.active.get(runId);
      if (!a) throw new AppError(await this.deps.store.getRun(runId) ? "CONFLICT" : "NOT_FOUND", `Run ${runId} is not running.`);
      const s = a.byId.get(stepId);
      if (!s) throw new AppError("NOT_FOUND", `Run ${runId} has no step ${stepId}.`);
      if (s.status !== "waiting_approval") throw new AppError("CONFLICT", `Step ${stepId} is ${s.status}, not waiting for approval.`);
      this.record(s, { decision: decision === "approve" ? "approved" : "rejected", by, comment: comment?.trim() || null, at: this.now });
      await this.finish(a, s, decision === "approve" ? "succeeded" : "failed", decision === "reject" ? `rejected by ${by}${comment ? `: ${comment}` : ""}` : null);
      await this.advance(a);
      return this.view(a);
    });
  }

  pendingApprovals(): { run: RunSummary; step: StepView }[] {
    const out: { run: RunSummary; step: StepView; since: number }[] = [];
    for (const a of this.active.values()) {
      for (const s of a.steps) {
        if (s.status === "waiting_approval") out.push({ run: this.summary(a.run, a.steps), step: this.stepView(s), since: s.startedAt ?? 0 });
      }
    }
    return out.sort((x, y) => x.since - y.since).map(({ run, step }) => ({ run, step }));
  }

  // ---- The engine loop -----------------------------------------------------------------

  private track(run: RunRecord, steps: StepRecord[]): ActiveRun {
    const state: engine.RunState = { status: run.status, failurePolicy: run.failurePolicy, concurrency: run.concurrency, canceled: run.status === "canceled", steps };
    const a: ActiveRun = { run, steps, byId: new Map(steps.map((s) => [s.id, s])), dirty: new Set(), state };
    this.active.set(run.id, a);
    return a;
  }

  /**
   * Runs an engine call and records what it changed: steps whose status moved are saved,
   * and those it ended (skipped, canceled) get their end time.
   */
  private withEngine<T>(a: ActiveRun, fn: () => T): T {
    const before = a.steps.map((x) => x.status);
    const out = fn();
    a.steps.forEach((x, i) => {
      if (x.status === before[i]) return;
      a.dirty.add(x.id);
      if (engine.isStepFinished(x.status)) x.finishedAt ??= this.now;
    });
    return out;
  }

  /** Starts every step that is ready, then settles the run's status and saves. */
  private async advance(a: ActiveRun) {
    for (let ready = engine.readySteps(a.state); ready.length; ready = engine.readySteps(a.state)) {
      for (const id of ready) await this.startStep(a, a.byId.get(id)!);
    }
    const status = engine.runStatus(a.state);
    const endsNow = status !== "running" && a.run.status === "running";
    if (endsNow) {
      a.run.status = status;
      a.run.finishedAt = this.now;
      if (status === "failed" && !a.run.error) {
        const failed = a.steps.find((s) => s.status === "failed");
        a.run.error = failed ? `step ${failed.id} failed: ${failed.error ?? "no detail"}` : "a step failed";
      }
      log.info("workflow run ended", { run: a.run.id, status });
    }
    await this.save(a);
    if (endsNow) void this.recordStats(a.run, a.steps);
  }

  /** A finished run counts into its template version's day (workflow analytics). */
  private async recordStats(run: RunRecord, steps: StepRecord[]) {
    if (!this.deps.insight || run.status === "running" || run.finishedAt == null) return;
    const facts: RunFacts = {
      status: run.status === "succeeded" ? "succeeded" : run.status === "canceled" ? "canceled" : "failed",
      createdAt: run.createdAt,
      finishedAt: run.finishedAt,
      steps: steps.map((s) => ({ id: s.id, templateStepId: s.templateStepId, type: s.type, status: s.status, dependsOn: s.dependsOn, startedAt: s.startedAt, finishedAt: s.finishedAt, decisions: s.decisions })),
    };
    try {
      await this.deps.insight.updateWorkflowStats(Math.floor(run.finishedAt / 86_400_000), `${run.templateName}@${run.templateVersion}`, (before) => addRun(parseDay(before), facts));
    } catch (e) {
      log.warn("workflow statistics not recorded", { run: run.id, error: (e as Error).message.split("\n")[0] });
    }
  }

  private scope(a: ActiveRun, s: StepRecord) {
    const steps: Record<string, unknown> = {};
    for (const o of a.steps) steps[o.id] = { status: o.status, result: o.result, error: o.error };
    return { params: a.run.params, steps, run: { id: a.run.id, template: a.run.templateName }, ...(s.fanIndex != null ? { index: s.fanIndex } : {}) };
  }

  private async startStep(a: ActiveRun, s: StepRecord) {
    const scope = this.scope(a, s);
    const def = s.def;
    try {
      s.title = String(interpolate(def.title ?? s.id, scope));
      if (def.type === "approval") {
        this.setStatus(a, s, "waiting_approval");
        s.startedAt = this.now;
        s.approvalDeadline = def.timeoutMs ? this.now + def.timeoutMs : null;
        if (def.description) s.result = { description: String(interpolate(def.description, scope)) };
        return;
      }
      if (def.type === "check" && def.expression) {
        s.startedAt = this.now;
        const value = evaluate(parseExpression(def.expression), scope);
        const passed = value === true;
        this.record(s, { decision: passed ? "passed" : "failed", by: "expression", comment: `${def.expression} → ${JSON.stringify(value)}`, at: this.now });
        s.result = { passed, value };
        this.setStatus(a, s, "running");
        await this.finish(a, s, passed ? "succeeded" : "failed", passed ? null : `gate failed: ${def.expression} is ${JSON.stringify(value)}`);
        return;
      }
      const spec: TaskSpec = {
        title: `${a.run.templateName} › ${s.title}`.slice(0, 200),
        // Shell: every value is quoted as literal text where it stands (core/workflow/shell-interpolate.ts).
        command: def.command ? interpolateCommand(def.command, scope) : undefined,
        // Only the author's payload is a template; parameter values are data, never re-read for {{ }}.
        payload: def.payload !== undefined ? interpolate(def.payload, scope) : { run: a.run.id, step: s.id, params: a.run.params },
        requires: def.requires,
        labels: Object.fromEntries(Object.entries(def.labels).map(([k, v]) => [k, String(interpolate(v, scope))])),
        priority: def.priority,
        strategy: def.strategy,
        timeoutMs: def.timeoutMs,
        retry: def.retry,
      };
      this.setStatus(a, s, "queued");
      const [t] = await this.deps.coordinator.submit([spec], {
        submittedBy: { kind: "workflow", name: a.run.templateName, role: null, by: a.run.triggeredBy },
        link: { runId: a.run.id, stepId: s.id, template: `${a.run.templateName}@${a.run.templateVersion}` },
      });
      s.taskId = t.id;
    } catch (e) {
      s.startedAt ??= this.now;
      this.setStatus(a, s, "running");
      await this.finish(a, s, "failed", `cannot start step ${s.id}: ${(e as Error).message}`);
    }
  }

  private setStatus(a: ActiveRun, s: StepRecord, status: "queued" | "running" | "waiting_approval") {
    if (s.status === status) return;
    this.withEngine(a, () => engine.startStep(a.state, s.id, status));
  }

  /** A step ended: tell the engine, and cancel what it says must stop (fail-fast). */
  private async finish(a: ActiveRun, s: StepRecord, outcome: "succeeded" | "failed" | "canceled", error: string | null) {
    if (error) s.error = error;
    else if (outcome === "succeeded") s.error = null;
    s.finishedAt = this.now;
    const { toCancel } = this.withEngine(a, () => engine.finishStep(a.state, s.id, outcome));
    a.dirty.add(s.id);
    await this.cancelSteps(a, toCancel, `run failed fast: step ${s.id} ${outcome}`);
  }

  private async cancelSteps(a: ActiveRun, ids: string[], reason: string) {
    for (const id of ids) {
      const s = a.byId.get(id)!;
      if (s.taskId) {
        try {
          await this.deps.coordinator.cancel(s.taskId, reason);
          continue; // its canceled event finishes the step
        } catch {
          /* already finished: its own event will settle the step */
        }
      }
      s.error = reason;
      this.withEngine(a, () => engine.finishStep(a.state, id, "canceled"));
    }
  }

  private async onTasks(tasks: TaskState[]) {
    const touched = new Set<ActiveRun>();
    for (const t of tasks) {
      const a = t.runId ? this.active.get(t.runId) : undefined;
      const s = a && t.stepId ? a.byId.get(t.stepId) : undefined;
      if (!a || !s || s.taskId !== t.id || engine.isStepFinished(s.status)) continue;
      touched.add(a);
      s.agentId = t.agentId ?? s.agentId;
      s.attempt = t.attempt;
      a.dirty.add(s.id);
      if (t.status === "running" && s.status === "queued") {
        this.setStatus(a, s, "running");
        s.startedAt = t.startedAt ?? this.now;
      } else if (isTerminal(t.status)) {
        s.startedAt ??= t.startedAt ?? t.assignedAt ?? this.now;
        if (s.status === "queued") this.setStatus(a, s, "running");
        s.result = t.result ?? null;
        const ok = t.status === "succeeded";
        if (s.type === "check") {
          const agent = t.agentId ? (this.deps.coordinator.agent(t.agentId)?.name ?? t.agentId) : "agent";
          this.record(s, { decision: ok ? "passed" : "failed", by: `check command on ${agent}`, comment: ok ? "exit code 0" : t.error, at: this.now });
        }
        await this.finish(a, s, t.status === "canceled" ? "canceled" : ok ? "succeeded" : "failed", ok ? null : (t.error ?? t.status));
      }
    }
    for (const a of touched) await this.advance(a);
  }

  private async checkDeadlines() {
    for (const a of this.active.values()) {
      let changed = false;
      for (const s of a.steps) {
        if (s.status !== "waiting_approval" || s.approvalDeadline == null || s.approvalDeadline > this.now) continue;
        const onTimeout = s.def.type === "approval" ? s.def.onTimeout : "fail";
        this.record(s, { decision: onTimeout === "approve" ? "approved" : "rejected", by: "timeout", comment: `no decision within ${Math.round((s.def.type === "approval" ? (s.def.timeoutMs ?? 0) : 0) / 1000)} s`, at: this.now });
        await this.finish(a, s, onTimeout === "approve" ? "succeeded" : "failed", onTimeout === "approve" ? null : "approval timed out");
        changed = true;
      }
      if (changed) await this.advance(a);
    }
  }

  private retrying = new Set<string>();

  /** One pending retry per run, in the serial queue, with a short pause so a locked database can clear. */
  private retrySave(a: ActiveRun) {
    if (this.retrying.has(a.run.id)) return;
    this.retrying.add(a.run.id);
    const t = setTimeout(() => {
      this.retrying.delete(a.run.id);
      if (a.dirty.size === 0 && this.active.get(a.run.id) !== a) return;
      void this.serial(() => this.save(a)).catch(() => {});
    }, 500);
    t.unref?.();
  }

  private record(s: StepRecord, d: GateDecisionView) {
    s.decisions = [...s.decisions, d];
  }

  /**
   * Writes the run and its changed steps. The changes stay marked until the write has landed:
   * a failed write loses nothing — it is retried shortly (and by the next change of the run),
   * and the caller sees the error.
   */
  private async save(a: ActiveRun) {
    const steps = [...a.dirty].map((id) => a.byId.get(id)!);
    try {
      await this.deps.store.saveRun(a.run, steps);
    } catch (e) {
      log.error("workflow run write failed; retrying", { run: a.run.id, steps: steps.length, error: (e as Error).message.split("\n")[0] });
      this.retrySave(a);
      throw e;
    }
    // Only what was written: a step changed again while the write was in flight stays marked.
    for (const s of steps) a.dirty.delete(s.id);
    if (a.run.status !== "running") this.active.delete(a.run.id);
    this.bus.emit("runChanged", this.view(a));
    const pending = this.pendingApprovals().length;
    if (pending !== this.lastPending) {
      this.lastPending = pending;
      this.bus.emit("approvalsChanged", pending);
    }
  }

  // ---- Views ---------------------------------------------------------------------------

  private stepView(s: StepRecord): StepView {

    return {
      id: s.id,
      templateStepId: s.templateStepId,
      type: s.type,
      title: s.title,
      status: s.status,
      dependsOn: s.dependsOn,
      taskId: s.taskId,
      agentId: s.agentId,
      agentName: s.agentId ? (this.deps.coordinator.agent(s.agentId)?.name ?? null) : null,
      attempt: s.attempt,
      result: s.result,
      error: s.error,
      startedAt: s.startedAt,
      finishedAt: s.finishedAt,
      decisions: s.decisions,
      description: s.def.type === "approval" ? ((s.result as { description?: string } | null)?.description ?? s.def.description ?? null) : null,
      approvalDeadline: s.approvalDeadline,
    };
  }

  private view(a: ActiveRun): RunView {
    return this.viewOf(a.run, a.steps);
  }

  private viewOf(run: RunRecord, steps: StepRecord[]): RunView {
    return { ...run, steps: steps.map((s) => this.stepView(s)) };
  }

  private summary(run: RunRecord, steps: StepRecord[]): RunSummary {
    return this.summaryOf(run, steps.map((s) => s.status));
  }

  private summaryOf(run: RunRecord, statuses: StepStatus[]): RunSummary {
    return { ...run, counts: countStatuses(statuses), total: statuses.length };
  }
}

/** Invalid template or parameters: carries every issue so the edge can list them. */
export class ValidationError extends AppError {
  constructor(
    readonly issues: ValidationIssue[],
    prefix = "Invalid workflow template",
  ) {
    super(
      "BAD_REQUEST",
      `${prefix}: ${issues.slice(0, 3).map((i) => (i.step ? `step ${i.step}: ${i.message}` : i.message)).join("; ")}${issues.length > 3 ? ` (and ${issues.length - 3} more)` : ""}.`,
      { issues },
    );
  }
}
