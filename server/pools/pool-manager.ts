// Runs the pools: every EVAL_MS it looks at each pool's backlog and busy slots (and, if asked,
// the capacity forecast), lets the pure autoscaler (server/core/pools) decide, records why, and
// makes it so — a `local` pool starts real runner processes and drains idle ones before it
// stops them; an `external` pool only answers what it wants (KEDA reads it). It also replaces
// crashed agents with a crash-loop backoff and adopts a previous server's agents after a restart.
import type { PoolPolicy } from "@/lib/api/pools";
import type { Clock } from "@/server/core/clock";
import { decide, describeDecision, emptyScalerState, type Decision, type ScalePolicy, type ScalerState } from "@/server/core/pools/autoscaler";
import type { Coordinator } from "@/server/coordinator/coordinator";
import type { AgentState } from "@/server/core/scheduler";
import { log } from "@/server/log";
import type { PoolDecisionRow, PoolInstanceRow, PoolRepository, PoolRow } from "@/server/store/ports";
import { specOf, type Launcher } from "./local-launcher";
import { HOST_GRACE_MS, type HostRegistry } from "./host-registry";

export const EVAL_MS = 1_000;
/** A steady pool records a decision this often (a change is recorded at once). */
const RECORD_EVERY_MS = 15_000;
/** An agent that has not connected this long after its start is taken for dead. */
const START_TIMEOUT_MS = 60_000;
/** Crash-loop backoff: 1 s after the first crash in a row, doubling to at most a minute. */
const BACKOFF_BASE_MS = 1_000;
const BACKOFF_MAX_MS = 60_000;
/** Crashes counted for the backoff and the crash-loop alert. */
export const CRASH_WINDOW_MS = 10 * 60_000;
const FORECAST_EVERY_MS = 5 * 60_000;
const DECISIONS_KEPT_MS = 7 * 86_400_000;

export interface PoolStatus {
  pool: PoolRow;
  current: number;
  backlog: number;
  busySlots: number;
  last: (Decision & { backlog: number; busySlots: number; forecastSlots: number | null }) | null;
  instances: (PoolInstanceRow & { agentId: string | null; busySlots: number })[];
  crashesInWindow: number;
  waitingFor: string | null;
}

export interface PoolManagerDeps {
  store: PoolRepository;
  coordinator: Pick<Coordinator, "agentNamed" | "agentList" | "backlogFor" | "drainAgent" | "forgetAgent">;
  clock: Clock;
  launcher: Launcher;
  /** `host` pools: the connected `switchboard pool-host` processes. */
  hosts?: HostRegistry;
  serverUrl: () => string;
  /** The capacity forecast's slots needed per hour for a capability (predictive pools). */
  forecast?: (capability: string) => Promise<{ at: number; slotsNeeded: number }[]>;
  evalMs?: number;
  /** Told after each pass that changed something (the dashboard refetches). */
  changed?: (poolIds: string[]) => void;
  /** New work: a pass runs within WAKE_MS instead of at the next interval. */
  onTasksSubmitted?: (listener: () => void) => () => void;
}

/** How soon after new tasks a pass runs (a burst is one pass, not one per batch). */
const WAKE_MS = 50;

const scalePolicyOf = (p: PoolRow): ScalePolicy => ({ ...(p.policy as PoolPolicy), slotsPerAgent: p.card.slots });

export class PoolManager {
  private pools: PoolRow[] = [];
  private instances = new Map<string, PoolInstanceRow>();
  private exits = new Map<string, Promise<unknown>>();
  private scalers = new Map<string, ScalerState>();
  private last = new Map<string, NonNullable<PoolStatus["last"]>>();
  private lastRecorded = new Map<string, { at: number; key: string }>();
  private crashes = new Map<string, number[]>();
  private notBefore = new Map<string, number>();
  private stopping = new Set<string>();
  private exited = new Set<string>();
  /** Agents of gone instances, forgotten once they are offline and hold nothing. */
  private toForget = new Set<string>();
  private forecasts = new Map<string, { at: number; points: { at: number; slotsNeeded: number }[] }>();
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private startedAt = 0;
  private wake: NodeJS.Timeout | null = null;
  private unsubscribe: (() => void) | null = null;
  private hostRefusal = new Map<string, string>();

  constructor(private readonly deps: PoolManagerDeps) {
    if (deps.hosts) {
      deps.hosts.onExited = (name) => {
        if (this.instances.has(name)) this.exited.add(name);
        void this.tick();
      };
      deps.hosts.onHello = (_hostId, running) => void this.adopt(running);
    }
  }

  /** A host says what it runs: its agents of known pools are adopted, those of unknown pools stopped. */
  private async adopt(running: { name: string; pool: string; pid: number }[]) {
    for (const r of running) {
      const pool = this.pools.find((p) => p.name === r.pool && p.provider === "host");
      if (!pool) {
        this.deps.hosts?.stop(r.name);
        continue;
      }
      const had = this.instances.get(r.name);
      if (had && had.state !== "starting") continue;
      const i: PoolInstanceRow = { name: r.name, poolId: pool.id, pid: r.pid, state: had?.state === "draining" ? "draining" : "running", startedAt: had?.startedAt ?? this.now, crashes: 0 };
      this.instances.set(r.name, i);
      await this.deps.store.saveInstance(i);
    }
    void this.tick();
  }

  private get now() {
    return this.deps.clock.now();
  }

  async start() {
    this.startedAt = this.now;
    this.pools = await this.deps.store.pools();
    // Adopt what a previous server started: same process, same name, still ours.
    for (const i of await this.deps.store.instances()) {
      const pool = this.pools.find((p) => p.id === i.poolId);
      if (pool?.provider === "host") {
        // Its host says whether it still runs when it reconnects (within the grace period).
        this.instances.set(i.name, i);
        if (i.state === "draining") this.stopping.add(i.name);
      } else if (pool && i.pid != null && this.deps.launcher.owns(i.pid, i.name)) {
        this.instances.set(i.name, { ...i, state: i.state === "draining" ? "draining" : i.state === "starting" ? "starting" : "running" });
        if (i.state === "draining") this.stopping.add(i.name);
      } else {
        await this.deps.store.deleteInstance(i.name);
        this.toForget.add(i.name);
      }
    }
    if (this.instances.size) log.info("adopted pool agents", { agents: [...this.instances.keys()].join(", ") });
    this.timer = setInterval(() => void this.tick(), this.deps.evalMs ?? EVAL_MS);
    this.timer.unref();
    this.unsubscribe =
      this.deps.onTasksSubmitted?.(() => {
        this.wake ??= setTimeout(() => {
          this.wake = null;
          void this.tick();
        }, WAKE_MS);
      }) ?? null;
  }

  /** Stops deciding; the agents keep running (the next server adopts them). */
  async stop() {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.unsubscribe?.();
    if (this.wake) clearTimeout(this.wake);
    await this.running;
  }

  tick(): Promise<void> {
    this.running ??= this.pass()
      .catch((e: Error) => log.warn("pool pass failed", { error: e.message }))
      .finally(() => (this.running = null));
    return this.running;
  }

  // ---- Reading ----

  poolList(): readonly PoolRow[] {
    return this.pools;
  }

  status(p: PoolRow): PoolStatus {
    const members = this.members(p);
    const busy = members.reduce((n, m) => n + m.busySlots, 0);
    const crashes = (this.crashes.get(p.id) ?? []).filter((t) => t > this.now - CRASH_WINDOW_MS).length;
    return { pool: p, current: this.currentOf(p, members), backlog: this.deps.coordinator.backlogFor(this.cardOf(p)), busySlots: busy, last: this.last.get(p.id) ?? null, instances: members, crashesInWindow: crashes, waitingFor: this.hostRefusal.get(p.id) ?? null };
  }

  decisions(poolId: string, q: { limit: number; since?: number }): Promise<PoolDecisionRow[]> {
    return this.deps.store.decisions({ poolId, ...q });
  }

  // ---- Changing pools (the service checks permissions and input) ----

  async save(p: PoolRow) {
    await this.deps.store.savePool(p);
    const i = this.pools.findIndex((x) => x.id === p.id);
    this.pools = i >= 0 ? this.pools.map((x) => (x.id === p.id ? p : x)) : [...this.pools, p].sort((a, b) => a.name.localeCompare(b.name));
    void this.tick();
  }

  /** Removes a pool: its agents are drained and stopped first. */
  async remove(id: string) {
    const p = this.pools.find((x) => x.id === id);
    if (!p) return;
    for (const i of [...this.instances.values()].filter((x) => x.poolId === id)) await this.stopInstance(p, i, true);
    this.pools = this.pools.filter((x) => x.id !== id);
    await this.deps.store.deletePool(id);
  }

  // ---- The pass ----

  private async pass() {
    const changed: string[] = [];
    for (const p of this.pools) {
      try {
        if (await this.step(p)) changed.push(p.id);
      } catch (e) {
        log.warn("pool step failed", { pool: p.name, error: (e as Error).message });
      }
    }
    await this.forgetGone();
    if (changed.length) this.deps.changed?.(changed);
    if (Math.random() < 0.001) await this.deps.store.pruneDecisions(this.now - DECISIONS_KEPT_MS).catch(() => 0);
  }

  /** The card the backlog is matched against: the pool's, with its `pool` label. */
  private cardOf(p: PoolRow) {
    return { capabilities: p.card.capabilities, labels: { ...p.card.labels, pool: p.name } };
  }

  private members(p: PoolRow): PoolStatus["instances"] {
    if (p.provider === "external") {
      // KEDA runs them; they are the connected agents carrying the pool's label.
      return this.deps.coordinator
        .agentList()
        .filter((a) => a.labels.pool === p.name && a.connected)
        .map((a) => ({ name: a.name, poolId: p.id, pid: null, state: a.draining ? ("draining" as const) : ("running" as const), startedAt: a.connectedAt ?? this.now, crashes: 0, agentId: a.id, busySlots: a.tasks.size }));
    }
    return [...this.instances.values()]
      .filter((i) => i.poolId === p.id)
      .map((i) => {
        const a = this.deps.coordinator.agentNamed(i.name);
        return { ...i, agentId: a?.id ?? null, busySlots: a?.tasks.size ?? 0 };
      });
  }

  /** Agents that count: starting and running ones (a draining one is on its way out). */
  private currentOf(p: PoolRow, members: PoolStatus["instances"]) {
    return members.filter((m) => m.state === "starting" || m.state === "running").length;
  }

  private async step(p: PoolRow): Promise<boolean> {
    let changed = p.provider === "external" ? false : await this.reconcile(p);
    const members = this.members(p);
    const current = this.currentOf(p, members);
    const backlog = this.deps.coordinator.backlogFor(this.cardOf(p));
    const busySlots = members.reduce((n, m) => n + m.busySlots, 0);
    const forecastSlots = p.policy.predictive.enabled ? await this.forecastSlots(p) : null;
    const policy: ScalePolicy = p.enabled ? scalePolicyOf(p) : { ...scalePolicyOf(p), min: 0, max: 0 };
    const r = decide(policy, this.scalers.get(p.id) ?? emptyScalerState(), { at: this.now, current, backlog, busySlots, forecastSlots });
    this.scalers.set(p.id, r.state);
    const d = p.enabled ? r.decision : { ...r.decision, rule: "max" as const, reason: "the pool is paused" };
    this.last.set(p.id, { ...d, backlog, busySlots, forecastSlots });
    await this.record(p, d, backlog, busySlots, forecastSlots);
    if (p.provider !== "external") {
      changed = (await this.apply(p, d.to, members)) || changed;
      // What was really reached (no idle agent to stop, no host with room) is what the step
      // limits and the cooldown count — not what was decided.
      const reached = this.currentOf(p, this.members(p));
      const last = r.state.changes.at(-1);
      if (reached !== d.to && last && last.at === d.at) {
        this.scalers.set(p.id, { ...r.state, changes: reached === d.from ? r.state.changes.slice(0, -1) : [...r.state.changes.slice(0, -1), { ...last, to: reached }] });
      }
    }
    return changed || d.to !== d.from;
  }

  private async record(p: PoolRow, d: Decision, backlog: number, busySlots: number, forecastSlots: number | null) {
    const key = `${d.from}|${d.to}|${d.rule}|${d.wanted}`;
    const prev = this.lastRecorded.get(p.id);
    if (prev && prev.key === key && this.now - prev.at < RECORD_EVERY_MS) return;
    this.lastRecorded.set(p.id, { at: this.now, key });
    await this.deps.store.recordDecision({ poolId: p.id, at: d.at, from: d.from, to: d.to, wanted: d.wanted, reactive: d.reactive, predictive: d.predictive, backlog, busySlots, forecastSlots, rule: d.rule, reason: d.reason });
    if (d.to !== d.from) log.info("pool scaled", { pool: p.name, decision: describeDecision(d) });
  }

  private async forecastSlots(p: PoolRow): Promise<number | null> {
    const cap = p.card.capabilities[0]?.name;
    if (!cap || !this.deps.forecast) return null;
    let f = this.forecasts.get(p.id);
    if (!f || this.now - f.at > FORECAST_EVERY_MS) {
      f = { at: this.now, points: await this.deps.forecast(cap).catch(() => []) };
      this.forecasts.set(p.id, f);
    }
    // The most any hour that begins within the lead time needs (the current hour included).
    const until = this.now + p.policy.predictive.leadMs;
    const within = f.points.filter((x) => x.at <= until && x.at + 3_600_000 > this.now);
    return within.length ? Math.max(...within.map((x) => x.slotsNeeded)) : null;
  }

  /** Catches up with what happened to the pool's processes; true when something changed. */
  private async reconcile(p: PoolRow): Promise<boolean> {
    let changed = false;
    for (const i of [...this.instances.values()].filter((x) => x.poolId === p.id)) {
      const a = this.deps.coordinator.agentNamed(i.name);
      const gone = this.exited.has(i.name) || (p.provider === "host" ? this.hostGone(i) : i.pid != null && !this.exits.has(i.name) && !this.deps.launcher.alive(i.pid));
      if (gone) {
        this.exited.delete(i.name);
        this.instances.delete(i.name);
        await this.deps.store.deleteInstance(i.name);
        this.toForget.add(i.name);
        if (!this.stopping.delete(i.name)) this.crashed(p, i);
        changed = true;
        continue;
      }
      if (i.state === "starting" && a?.connected) {
        await this.setState(i, "running");
        changed = true;
      } else if (i.state === "starting" && this.now - i.startedAt > START_TIMEOUT_MS) {
        log.warn("pool agent never connected; stopping it", { pool: p.name, agent: i.name });
        if (p.provider === "host") this.deps.hosts?.stop(i.name);
        else this.deps.launcher.stop(i.pid ?? -1);
      }
    }
    return changed;
  }

  /** A host agent is gone when no host runs it — after the grace a restart or a cut gives hosts to say so. */
  private hostGone(i: PoolInstanceRow): boolean {
    const st = this.deps.hosts?.status(i.name) ?? "gone";
    if (st !== "gone") return false;
    return this.now - this.startedAt > HOST_GRACE_MS && this.now - i.startedAt > HOST_GRACE_MS;
  }

  private crashed(p: PoolRow, i: PoolInstanceRow) {
    const times = [...(this.crashes.get(p.id) ?? []).filter((t) => t > this.now - CRASH_WINDOW_MS), this.now];
    this.crashes.set(p.id, times);
    const delay = Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** (times.length - 1));
    this.notBefore.set(p.id, this.now + delay);
    log.warn("pool agent died; replacing it", { pool: p.name, agent: i.name, crashesIn10Min: times.length, retryInMs: delay });
  }

  private async setState(i: PoolInstanceRow, state: PoolInstanceRow["state"]) {
    const next = { ...i, state };
    this.instances.set(i.name, next);
    await this.deps.store.saveInstance(next);
  }

  /** Starts or stops agents to reach `to`; only idle agents are stopped, drained first. */
  private async apply(p: PoolRow, to: number, members: PoolStatus["instances"]): Promise<boolean> {
    const live = members.filter((m) => m.state === "starting" || m.state === "running");
    if (to > live.length) {
      if ((this.notBefore.get(p.id) ?? 0) > this.now) return false;
      let started = false;
      for (let k = live.length; k < to; k++) {
        if (!(await this.launch(p))) break;
        started = true;
      }
      return started;
    }
    if (to < live.length) {
      // Idle ones only: the ones not yet connected first, then the newest.
      const idle = live.filter((m) => m.busySlots === 0).sort((a, b) => Number(a.state === "running") - Number(b.state === "running") || b.startedAt - a.startedAt);
      const victims = idle.slice(0, live.length - to);
      for (const v of victims) await this.stopInstance(p, this.instances.get(v.name)!, false);
      return victims.length > 0;
    }
    return false;
  }

  private nextName(p: PoolRow): string {
    const prefix = `${p.name}-`;
    const taken = [...this.instances.keys(), ...this.deps.coordinator.agentList().map((a) => a.name)].filter((n) => n.startsWith(prefix)).map((n) => Number(n.slice(prefix.length))).filter(Number.isInteger);
    return `${prefix}${Math.max(0, ...taken) + 1}`;
  }

  private async launch(p: PoolRow) {
    const name = this.nextName(p);
    if (p.provider === "host") {
      const r = this.deps.hosts ? await this.deps.hosts.launch(specOf(p, name)) : { ok: false as const, error: "no pool hosts on this server" };
      if (!r.ok) {
        if (this.hostRefusal.get(p.id) !== r.error) log.warn("pool agent not started", { pool: p.name, reason: r.error });
        this.hostRefusal.set(p.id, r.error);
        return false;
      }
      this.hostRefusal.delete(p.id);
      const i: PoolInstanceRow = { name, poolId: p.id, pid: r.pid, state: "starting", startedAt: this.now, crashes: 0 };
      this.instances.set(name, i);
      await this.deps.store.saveInstance(i);
      return true;
    }
    const l = this.deps.launcher.launch(p, name, this.deps.serverUrl());
    const i: PoolInstanceRow = { name, poolId: p.id, pid: l.pid, state: "starting", startedAt: this.now, crashes: 0 };
    this.instances.set(name, i);
    this.exits.set(
      name,
      l.exited.then(() => {
        this.exits.delete(name);
        this.exited.add(name);
        void this.tick();
      }),
    );
    await this.deps.store.saveInstance(i);
    return true;
  }

  private async stopInstance(p: PoolRow, i: PoolInstanceRow, now: boolean) {
    this.stopping.add(i.name);
    const a = this.deps.coordinator.agentNamed(i.name);
    // No new work for it; then the runner drains what it has (none, unless `now`) and exits.
    if (a?.connected && !a.draining) await this.deps.coordinator.drainAgent(a.id).catch(() => undefined);
    if (p.provider === "host") this.deps.hosts?.stop(i.name);
    else this.deps.launcher.stop(i.pid ?? -1);
    await this.setState(i, "draining");
    if (now) log.info("pool agent stopped with its pool", { pool: p.name, agent: i.name });
  }

  private async forgetGone() {
    for (const name of this.toForget) {
      const a: Readonly<AgentState> | undefined = this.deps.coordinator.agentNamed(name);
      if (!a) {
        this.toForget.delete(name);
        continue;
      }
      if (a.connected || a.tasks.size) continue;
      await this.deps.coordinator
        .forgetAgent(a.id)
        .then(() => this.toForget.delete(name))
        .catch(() => undefined);
    }
  }
}
