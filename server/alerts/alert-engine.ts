// Evaluates alert rules against the live fleet and its history, keeps every instance's state
// (stored, so a restart neither forgets a firing alert nor sends it again), and hands notices
// to the channels. Evaluation runs on an interval for every rule, and within a fraction of a
// second of the events a rule is about — an agent going away, a task ending, an error group,
// an approval — for the rules of that kind only, so a condition reaches a channel in well
// under a second. One evaluation at a time; requests that arrive meanwhile are merged.
import { EventEmitter } from "node:events";
import type { Clock } from "@/server/core/clock";
import { acknowledge, silencing, stepRule, type AlertInstance, type Notice, type Transition } from "@/server/core/alerts/alert-state";
import { builtInRules, observe, windowsOf, type AlertFacts, type RuleDef, type RuleKind, type WindowStat } from "@/server/core/alerts/conditions";
import type { ErrorEvent } from "@/server/core/insight/errors";
import { AWAITING_RECONNECT, STOPPED_BY_OWNER } from "@/server/core/scheduler/registry";
import type { Coordinator } from "@/server/coordinator/coordinator";
import type { InsightQueries } from "@/server/insight/insight-queries";
import type { WorkflowService } from "@/server/workflows/workflow-service";
import type { AlertRepository, AlertRuleRow, ChannelRow, SilenceRow } from "@/server/store/ports";
import { AppError } from "@/server/errors";
import { log } from "@/server/log";
import type { DomainEvents } from "@/server/coordinator/events";
import type { Notifier } from "./notifier";

/** Error events are kept this long for the error-group rules (their windows are shorter). */
const ERROR_EVENTS_KEPT_MS = 24 * 3_600_000;
/** The forecast is recomputed this often for shortfall rules (it moves by the hour). */
const FORECAST_EVERY_MS = 10 * 60_000;
/** After an event, how long to wait for more before evaluating (a burst is one evaluation). */
const EVENT_DEBOUNCE_MS = 50;
/** How often an instance whose readings alone changed is stored again (see worthSaving). */
const READINGS_SAVED_EVERY_MS = 60_000;
/** Rules that read rollups are evaluated on task events at most this often. */
const HISTORY_RULES_EVERY_MS = 1_000;

export interface AlertsChange {
  transitions: Transition[];
  firing: number;
  /** Alerts announced as firing by this evaluation (never silenced ones): what a toast shows. */
  fired: { fingerprint: string; name: string; severity: string; summary: string }[];
}

export interface AlertEngineDeps {
  store: AlertRepository;
  coordinator: Coordinator;
  workflows: WorkflowService;
  insight: InsightQueries;
  notifier: Notifier;
  clock: Clock;
  /** Every rule is evaluated this often. */
  evalMs: number;
  /**
   * After a restart, agents get this long to reconnect before they count as offline: until then
   * the offline rules keep the state they had (a restart is not an outage of every agent).
   */
  restartGraceMs: number;
  /** The pools' state (made after the engine; empty until then). */
  pools?: () => AlertFacts["pools"];
}

export class AlertEngine {
  readonly bus = new EventEmitter<{ alertsChanged: [AlertsChange] }>();
  private rules: AlertRuleRow[] = [];
  private instances = new Map<string, AlertInstance>();
  private silences: SilenceRow[] = [];
  private channels: ChannelRow[] = [];
  private errorEvents: ErrorEvent[] = [];
  private forecast: { at: number; shortfalls: AlertFacts["shortfalls"] } | null = null;
  private timer: NodeJS.Timeout | null = null;
  private debounce: NodeJS.Timeout | null = null;
  private wanted = new Set<RuleKind>();
  private running: Promise<void> | null = null;
  private lastHistoryEval = 0;
  private settleUntil = 0;
  /** When each instance was last stored (see worthSaving). */
  private readonly savedAt = new Map<string, number>();
  /** Each agent's health as the last agents_offline request saw it (see the agentsChanged listener). */
  private readonly healthSeen = new Map<string, string>();
  private graceTimer: NodeJS.Timeout | null = null;
  private stopped = false;
  private readonly listeners: (() => void)[] = [];

  constructor(private readonly deps: AlertEngineDeps) {}

  private get now() {
    return this.deps.clock.now();
  }

  async start() {
    // Only a restart that brought agents back from the store has anyone to wait for.
    this.settleUntil = this.deps.coordinator.agentList().some((a) => a.healthReason === AWAITING_RECONNECT) ? this.now + this.deps.restartGraceMs : 0;
    const [rules, instances, silences, channels] = await Promise.all([this.deps.store.rules(), this.deps.store.instances(), this.deps.store.silences(), this.deps.store.channels()]);
    // Built-in rules are created once; after that they are the admin's to edit or disable.
    const have = new Set(rules.map((r) => r.id));
    for (const r of builtInRules()) {
      if (have.has(r.id)) continue;
      const row = { ...r, builtIn: true, createdBy: null, updatedAt: this.now };
      await this.deps.store.saveRule(row);
      rules.push(row);
    }
    this.rules = rules;
    this.instances = new Map(instances.map((a) => [a.fingerprint, a]));
    this.silences = silences;
    this.channels = channels;
    const on = <E extends keyof DomainEvents>(event: E, fn: (...a: DomainEvents[E]) => void) => {
      this.deps.coordinator.bus.on(event, fn as never);
      this.listeners.push(() => this.deps.coordinator.bus.off(event, fn as never));
    };
    // Only a change of health can change what agents_offline sees; most agent changes are a
    // task taken or finished, and a fleet of 2,000 at 100 tasks/s makes hundreds a second.
    on("agentsChanged", (ids) => {
      let changed = false;
      for (const id of ids) {
        const a = this.deps.coordinator.agent(id);
        const seen = a ? `${a.health}\u0000${a.healthReason ?? ""}` : "";
        if (this.healthSeen.get(id) !== seen) {
          this.healthSeen.set(id, seen);
          changed = true;
        }
      }
      if (changed) this.request(["agents_offline"]);
    });
    on("agentsForgotten", (ids) => {
      for (const id of ids) this.healthSeen.delete(id);
      this.request(["agents_offline"]);
    });
    on("tasksChanged", () => {
      if (this.now - this.lastHistoryEval >= HISTORY_RULES_EVERY_MS) this.request(["dead_tasks", "failure_rate", "queue_wait"]);
    });
    on("errorEvents", (events: ErrorEvent[]) => {
      this.errorEvents.push(...events);
      this.request(["error_group"]);
    });
    const onApprovals = () => this.request(["approval_waiting"]);
    this.deps.workflows.bus.on("approvalsChanged", onApprovals);
    this.listeners.push(() => this.deps.workflows.bus.off("approvalsChanged", onApprovals));
    this.timer = setInterval(() => this.request(null), this.deps.evalMs);
    this.timer.unref?.();
    await this.evaluate(null);
  }

  async stop() {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    if (this.debounce) clearTimeout(this.debounce);
    if (this.graceTimer) clearTimeout(this.graceTimer);
    for (const off of this.listeners) off();
    await this.running;
  }

  /** Evaluates the rules of these kinds (null: all) soon. */
  private request(kinds: RuleKind[] | null) {
    if (this.stopped) return;
    for (const k of kinds ?? (["agents_offline", "queue_wait", "failure_rate", "dead_tasks", "approval_waiting", "error_group", "forecast_shortage", "pool_at_max", "pool_crash_loop"] as RuleKind[])) this.wanted.add(k);
    if (this.debounce) return;
    this.debounce = setTimeout(() => {
      this.debounce = null;
      void this.drainRequests();
    }, EVENT_DEBOUNCE_MS);
  }

  private async drainRequests() {
    if (!this.wanted.size || this.stopped) return;
    const kinds = new Set(this.wanted);
    this.wanted.clear();
    await this.evaluate(kinds);
  }

  /** One evaluation of the rules of these kinds (null: every rule), after any under way. */
  evaluate(kinds: Set<RuleKind> | null): Promise<void> {
    const run = (this.running ?? Promise.resolve()).then(() => this.evaluateNow(kinds)).catch((e: Error) => log.warn("alert evaluation failed", { error: e.message }));
    this.running = run;
    void run.finally(() => {
      if (this.running === run) this.running = null;
    });
    return run;
  }

  private async evaluateNow(kinds: Set<RuleKind> | null) {
    const settling = this.now < this.settleUntil;
    if (settling && this.graceTimer === null) this.graceTimer = setTimeout(() => this.request(["agents_offline"]), this.settleUntil - this.now + 50);
    const rules = this.rules.filter((r) => (!kinds || kinds.has(r.kind)) && !(settling && r.kind === "agents_offline"));
    if (!rules.length) return;
    const now = this.now;
    if (rules.some((r) => r.kind === "queue_wait" || r.kind === "failure_rate" || r.kind === "dead_tasks")) this.lastHistoryEval = now;
    const facts = await this.facts(rules.filter((r) => r.enabled), now);
    const upserts: AlertInstance[] = [];
    const removed: string[] = [];
    const transitions: Transition[] = [];
    const notices: Notice[] = [];
    for (const rule of rules) {
      const before = [...this.instances.values()].filter((a) => a.ruleId === rule.id);
      // A disabled rule's alerts resolve (and say so) like any whose condition stopped holding.
      const timing = rule.enabled ? rule : { ...rule, keepFiringForMs: 0 };
      const r = stepRule(timing, before, rule.enabled ? observe(rule, facts) : [], this.silences, now);
      const after = new Map(r.instances.map((a) => [a.fingerprint, a]));
      for (const a of before) {
        const next = after.get(a.fingerprint);
        if (!next) {
          removed.push(a.fingerprint);
          this.instances.delete(a.fingerprint);
        } else if (this.worthSaving(a, next, now)) upserts.push(next);
      }
      const had = new Set(before.map((b) => b.fingerprint));
      for (const a of r.instances) {
        if (!had.has(a.fingerprint)) upserts.push(a);
        this.instances.set(a.fingerprint, a);
      }
      transitions.push(...r.transitions);
      notices.push(...r.notices);
    }
    await this.deps.store.saveEvaluation({ upserts, removed, transitions });
    for (const a of upserts) this.savedAt.set(a.fingerprint, now);
    for (const f of removed) this.savedAt.delete(f);
    if (notices.length) await this.deps.notifier.send(this.channels, notices);
    const fired = notices.filter((n) => n.kind === "firing").map((n) => ({ fingerprint: n.alert.fingerprint, name: n.alert.labels.alertname ?? n.alert.ruleId, severity: n.alert.labels.severity ?? "warning", summary: n.alert.summary }));
    if (transitions.length || notices.length) this.bus.emit("alertsChanged", { transitions, firing: this.firingCount(), fired });
  }

  private async facts(rules: readonly RuleDef[], now: number): Promise<AlertFacts> {
    const kinds = new Set(rules.map((r) => r.kind));
    const windows = new Map<number, readonly WindowStat[]>();
    for (const w of windowsOf(rules)) windows.set(w, await this.deps.insight.recent(w));
    this.errorEvents = this.errorEvents.filter((e) => now - e.at < ERROR_EVENTS_KEPT_MS).slice(-1000);
    if (kinds.has("forecast_shortage") && (!this.forecast || now - this.forecast.at >= FORECAST_EVERY_MS)) {
      const c = await this.deps.insight.capacity({});
      this.forecast = { at: now, shortfalls: c.capabilities.flatMap((p) => p.shortfalls.map((s) => ({ capability: p.capability, from: s.from, to: s.to, extra: s.extra, text: s.text }))) };
    }
    return {
      now,
      agents: kinds.has("agents_offline")
        ? this.deps.coordinator.agentList().map((a) => ({ name: a.name, health: a.health, offlineSince: a.offlineSince, reason: a.healthReason, deliberate: a.healthReason === STOPPED_BY_OWNER }))
        : [],
      windows,
      approvals: kinds.has("approval_waiting") ? this.deps.workflows.pendingApprovals().map(({ run, step }) => ({ runId: run.id, stepId: step.id, template: `${run.templateName}@${run.templateVersion}`, waitingSince: step.startedAt ?? now })) : [],
      errorEvents: this.errorEvents,
      shortfalls: this.forecast?.shortfalls ?? [],
      pools: kinds.has("pool_at_max") || kinds.has("pool_crash_loop") ? (this.deps.pools?.() ?? []) : [],
    };
  }

  /**
   * Whether an instance's change must be stored now. A change of phase, notification or
   * acknowledgement always is; the readings alone (value, summary, lastTrueAt — different at
   * every evaluation of, say, 2,000 offline agents) at most every READINGS_SAVED_EVERY_MS, so a
   * restart finds them at most that stale (a keep_firing_for window may end that much early).
   */
  private worthSaving(was: AlertInstance, next: AlertInstance, now: number): boolean {
    const { value: _v, summary: _s, lastTrueAt: _t, ...stable } = next;
    const { value: _v2, summary: _s2, lastTrueAt: _t2, ...stableWas } = was;
    if (JSON.stringify(stable) !== JSON.stringify(stableWas)) return true;
    if (next.value === was.value && next.summary === was.summary && next.lastTrueAt === was.lastTrueAt) return false;
    return now - (this.savedAt.get(next.fingerprint) ?? 0) >= READINGS_SAVED_EVERY_MS;
  }

  // ---- What the API reads and changes -------------------------------------------------------

  firingCount() {
    let n = 0;
    for (const a of this.instances.values()) if (a.phase === "firing" && !silencing(a.labels, this.silences, this.now).length) n++;
    return n;
  }

  list(): { alert: AlertInstance; rule: AlertRuleRow | undefined; silencedBy: string[] }[] {
    const rules = new Map(this.rules.map((r) => [r.id, r]));
    return [...this.instances.values()].map((a) => ({ alert: a, rule: rules.get(a.ruleId), silencedBy: silencing(a.labels, this.silences, this.now).map((s) => s.id) }));
  }

  ruleList(): readonly AlertRuleRow[] {
    return this.rules;
  }

  silenceList(): readonly SilenceRow[] {
    return this.silences;
  }

  channelList(): readonly ChannelRow[] {
    return this.channels;
  }

  async acknowledge(fingerprint: string, by: string, comment: string) {
    const a = this.instances.get(fingerprint);
    if (!a) throw new AppError("NOT_FOUND", `No alert ${fingerprint}.`);
    const next = acknowledge(a, { by, at: this.now, comment });
    if (typeof next === "string") throw new AppError("CONFLICT", next);
    await this.running;
    this.instances.set(fingerprint, next);
    await this.deps.store.saveEvaluation({ upserts: [next], removed: [], transitions: [] });
    this.bus.emit("alertsChanged", { transitions: [], firing: this.firingCount(), fired: [] });
    return next;
  }

  async saveRule(r: AlertRuleRow) {
    await this.deps.store.saveRule(r);
    this.rules = await this.deps.store.rules();
    await this.evaluate(new Set([r.kind]));
  }

  async deleteRule(id: string) {
    const rule = this.rules.find((r) => r.id === id);
    if (!rule) throw new AppError("NOT_FOUND", `No alert rule ${id}.`);
    await this.running;
    await this.deps.store.deleteRule(id);
    for (const [fp, a] of this.instances) if (a.ruleId === id) this.instances.delete(fp);
    this.rules = this.rules.filter((r) => r.id !== id);
    this.bus.emit("alertsChanged", { transitions: [], firing: this.firingCount(), fired: [] });
  }

  async saveSilence(s: SilenceRow) {
    await this.deps.store.saveSilence(s);
    this.silences = await this.deps.store.silences();
    // A silence that ends later (or now) changes what is notified: evaluate at its end as well.
    const untilEnd = s.endsAt - this.now;
    if (untilEnd > 0 && untilEnd < 2 ** 31 - 1) setTimeout(() => this.request(null), untilEnd + 10).unref?.();
    await this.evaluate(null);
  }

  async saveChannel(c: ChannelRow) {
    await this.deps.store.saveChannel(c);
    this.channels = await this.deps.store.channels();
  }

  async deleteChannel(id: string) {
    if (!(await this.deps.store.deleteChannel(id))) throw new AppError("NOT_FOUND", `No channel ${id}.`);
    this.channels = this.channels.filter((c) => c.id !== id);
  }

  /** Whether e-mail channels can be sent: the server has an SMTP relay. */
  get canMail(): boolean {
    return this.deps.notifier.canMail;
  }

  testChannel(id: string) {
    const c = this.channels.find((x) => x.id === id);
    if (!c) throw new AppError("NOT_FOUND", `No channel ${id}.`);
    return this.deps.notifier.test(c);
  }
}
