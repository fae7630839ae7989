// Bottlenecks and recommendations: rules over measured data. Each finding carries the numbers
// that triggered it (its evidence), so a reader can check it rather than trust it; each
// recommendation also says what it expects to change and, where one exists, the action.
// Pure: the insight service gathers the facts.
import type { Stat } from "./analytics";
import type { TemplateSummary } from "./workflow-stats";
import { waitExceeds } from "./erlang";

export interface CapabilityFacts {
  capability: string;
  stat: Stat;
  /** Agents that offer it now. */
  agents: { id: string; name: string; slots: number; connected: boolean }[];
  /** Longest stretch in the window with its slots ≥ 90 % busy, hours. */
  busyRunHours: number;
}

export interface AgentCapabilityFacts {
  agentId: string;
  agentName: string;
  capability: string;
  stat: Stat;
}

export interface AgentFacts {
  agentId: string;
  agentName: string;
  stat: Stat;
  slots: number;
  connected: boolean;
  draining: boolean;
}

export interface Facts {
  windowHours: number;
  capabilities: CapabilityFacts[];
  agentCapabilities: AgentCapabilityFacts[];
  agents: AgentFacts[];
  workflows: TemplateSummary[];
  /** The strategy tasks use when they name none. */
  defaultStrategy: string;
  /** Queue-wait p95 the fleet should stay under. */
  targetWaitMs: number;
}

export type Subject = { dim: "capability" | "agent" | "template"; key: string; label: string };

export interface Bottleneck {
  kind: "queue_wait" | "critical_step" | "slow_agent" | "approval_wait" | "retries";
  subject: Subject;
  /** For ranking: roughly, task-minutes lost. */
  score: number;
  title: string;
  evidence: string[];
}

export type Action =
  | { kind: "raise_slots"; agentId: string; agentName: string; from: number; to: number }
  | { kind: "add_capacity"; capability: string; slots: number }
  | { kind: "drain_agent"; agentId: string; agentName: string }
  | { kind: "set_strategy"; capability: string; strategy: "least-loaded" };

export interface Recommendation {
  kind: "add_capacity" | "drain_flaky_agent" | "change_strategy" | "remove_idle_capacity";
  subject: Subject;
  score: number;
  title: string;
  evidence: string[];
  effect: string;
  action: Action | null;
}

export function duration(ms: number | null): string {
  if (ms == null) return "—";
  if (ms < 1_000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1_000).toFixed(ms < 10_000 ? 1 : 0)} s`;
  if (ms < 3_600_000) return `${Math.round(ms / 60_000)} min`;
  return `${(ms / 3_600_000).toFixed(ms < 36_000_000 ? 1 : 0)} h`;
}

const pct = (x: number | null) => (x == null ? "—" : `${Math.round(x * 100)} %`);
const median = (xs: number[]) => {
  if (!xs.length) return null;
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** Thresholds, named: a finding needs enough data and a clear signal. */
export const RULES = {
  minTasks: 5,
  waitP95Ms: 60_000,
  slowFactor: 2,
  criticalShare: 0.5,
  minRuns: 3,
  approvalP50Ms: 30 * 60_000,
  retryShare: 0.2,
  flakyFactor: 3,
  flakyMinFailures: 5,
  busy: 0.85,
  idle: 0.1,
  imbalance: 3,
};

export function bottlenecks(f: Facts): Bottleneck[] {
  const out: Bottleneck[] = [];
  for (const c of f.capabilities) {
    const s = c.stat;
    if (s.started >= RULES.minTasks && (s.waitP95Ms ?? 0) >= Math.max(RULES.waitP95Ms, f.targetWaitMs)) {
      const agents = c.agents.filter((a) => a.connected);
      const slots = agents.reduce((n, a) => n + a.slots, 0);
      const evidence = [`${s.started} tasks waited p95 ${duration(s.waitP95Ms)} (p50 ${duration(s.waitP50Ms)})`, `${agents.length} agent${agents.length === 1 ? "" : "s"} with ${slots} slot${slots === 1 ? "" : "s"} offer it now`];
      if (s.utilisation != null) evidence.push(`slots ${pct(s.utilisation)} busy over the window${c.busyRunHours >= 1 ? `, ≥ 90 % for ${c.busyRunHours.toFixed(0)} h in a row` : ""}`);
      out.push({
        kind: "queue_wait",
        subject: { dim: "capability", key: c.capability, label: c.capability },
        score: (s.waitMeanMs ?? s.waitP95Ms ?? 0) * s.started / 60_000,
        title: `capability ${c.capability}: ${s.started} tasks waited p95 ${duration(s.waitP95Ms)}; ${agents.length} agent${agents.length === 1 ? "" : "s"}, ${pct(s.utilisation)} busy${c.busyRunHours >= 1 ? ` (≥ 90 % for ${c.busyRunHours.toFixed(0)} h)` : ""}`,
        evidence,
      });
    }
    if (s.started >= RULES.minTasks * 2 && s.retries / s.started >= RULES.retryShare) {
      out.push({
        kind: "retries",
        subject: { dim: "capability", key: c.capability, label: c.capability },
        score: s.retries * ((s.runMeanMs ?? 0) / 60_000 + 1),
        title: `capability ${c.capability}: ${pct(s.retries / s.started)} of attempts are retries`,
        evidence: [`${s.retries} retries of ${s.started} attempts`, `success rate ${pct(s.successRate)}`],
      });
    }
  }
  // Agents much slower than the fleet at the same work.
  const byCap = new Map<string, AgentCapabilityFacts[]>();
  for (const a of f.agentCapabilities) groupInto(byCap, a.capability, a);
  for (const [cap, list] of byCap) {
    const measured = list.filter((a) => a.stat.runP50Ms != null && a.stat.succeeded + a.stat.failed >= RULES.minTasks);
    if (measured.length < 2) continue;
    const fleet = median(measured.map((a) => a.stat.runP50Ms!))!;
    for (const a of measured) {
      const others = median(measured.filter((x) => x !== a).map((x) => x.stat.runP50Ms!))!;
      if (others > 0 && a.stat.runP50Ms! >= RULES.slowFactor * others) {
        const factor = a.stat.runP50Ms! / others;
        out.push({
          kind: "slow_agent",
          subject: { dim: "agent", key: a.agentId, label: a.agentName },
          score: (a.stat.runP50Ms! - others) * (a.stat.succeeded + a.stat.failed) / 60_000,
          title: `agent ${a.agentName} takes ${factor.toFixed(1)}× the fleet median for ${cap}`,
          evidence: [`run time p50 ${duration(a.stat.runP50Ms)} over ${a.stat.succeeded + a.stat.failed} tasks`, `the other ${measured.length - 1} agent${measured.length === 2 ? "" : "s"}: p50 ${duration(others)} (fleet ${duration(fleet)})`],
        });
      }
    }
  }
  for (const w of f.workflows) {
    const name = w.template.split("@")[0];
    if (w.runs >= RULES.minRuns && w.criticalStep && w.criticalStep.share >= RULES.criticalShare) {
      out.push({
        kind: "critical_step",
        subject: { dim: "template", key: w.template, label: w.template },
        score: (w.criticalStep.p50Ms ?? 0) * w.runs * w.criticalStep.share / 60_000,
        title: `step ${w.criticalStep.stepId} is the longest step on the critical path in ${pct(w.criticalStep.share)} of ${name} runs, p50 ${duration(w.criticalStep.p50Ms)}`,
        evidence: [`${w.runs} runs of ${w.template}, run p50 ${duration(w.durationP50Ms)}`, `the steps after it wait for it: making ${w.criticalStep.stepId} faster shortens those runs`],
      });
    }
    for (const g of w.gates) {
      if (g.type === "approval" && g.passed + g.failed >= RULES.minRuns && (g.waitP50Ms ?? 0) >= RULES.approvalP50Ms) {
        out.push({
          kind: "approval_wait",
          subject: { dim: "template", key: w.template, label: w.template },
          score: (g.waitP50Ms ?? 0) * (g.passed + g.failed) / 60_000,
          title: `approval ${g.stepId} in ${name} waits p50 ${duration(g.waitP50Ms)} for a decision`,
          evidence: [`${g.passed + g.failed} decisions, p95 ${duration(g.waitP95Ms)}`, `${pct(g.passRate)} approved`],
        });
      }
    }
  }
  return out.sort((a, b) => b.score - a.score);
}

/** Queue-wait p95 estimate for `slots` at the measured arrival rate and run time (M/M/c). */
function p95With(slots: number, arrivalsPerHour: number, serviceMs: number): number | null {
  const lambda = arrivalsPerHour / 3_600_000;
  if (lambda <= 0 || lambda * serviceMs >= slots) return null;
  // Smallest t with P(wait > t) ≤ 5 %, by bisection.
  let lo = 0;
  let hi = serviceMs * 100;
  if (waitExceeds(slots, lambda, serviceMs, 0) <= 0.05) return 0;
  for (let i = 0; i < 60; i++) {
    const mid = (lo + hi) / 2;
    if (waitExceeds(slots, lambda, serviceMs, mid) > 0.05) lo = mid;
    else hi = mid;
  }
  return hi;
}

export function recommendations(f: Facts): Recommendation[] {
  const out: Recommendation[] = [];
  for (const c of f.capabilities) {
    const s = c.stat;
    const agents = c.agents.filter((a) => a.connected);
    const slots = agents.reduce((n, a) => n + a.slots, 0);
    const arrivals = s.started / f.windowHours;
    // Busy and waiting: more slots, with the wait they would give.
    if (s.started >= RULES.minTasks && (s.waitP95Ms ?? 0) > f.targetWaitMs && (s.utilisation ?? 0) >= RULES.busy && s.runMeanMs) {
      let add = 1;
      while (add < 50 && (p95With(slots + add, arrivals, s.runMeanMs) ?? Infinity) > f.targetWaitMs) add++;
      const after = p95With(slots + add, arrivals, s.runMeanMs);
      const target = agents.length === 1 ? agents[0] : null;
      out.push({
        kind: "add_capacity",
        subject: { dim: "capability", key: c.capability, label: c.capability },
        score: (s.waitP95Ms ?? 0) * s.started / 60_000,
        title: target ? `raise ${target.name}'s slots from ${target.slots} to ${target.slots + add} for ${c.capability}` : `add ${add} slot${add === 1 ? "" : "s"} for ${c.capability}`,
        evidence: [`${pct(s.utilisation)} busy, queue wait p95 ${duration(s.waitP95Ms)} over ${s.started} tasks`, `${arrivals.toFixed(1)} tasks/h, mean run ${duration(s.runMeanMs)}, ${slots} slot${slots === 1 ? "" : "s"} now`],
        effect: after != null ? `queue wait p95 about ${duration(after)} (M/M/c at today's load; target ${duration(f.targetWaitMs)})` : `keeps up with today's load`,
        action: target ? { kind: "raise_slots", agentId: target.id, agentName: target.name, from: target.slots, to: target.slots + add } : { kind: "add_capacity", capability: c.capability, slots: add },
      });
    }
    // Idle for the whole window: capacity that could go (never below one agent).
    if (f.windowHours >= 24 && agents.length >= 2 && s.utilisation != null && s.utilisation <= RULES.idle && s.runMeanMs) {
      let keep = slots;
      while (keep > 1 && (p95With(keep - 1, arrivals, s.runMeanMs) ?? Infinity) <= f.targetWaitMs) keep--;
      if (keep < slots) {
        out.push({
          kind: "remove_idle_capacity",
          subject: { dim: "capability", key: c.capability, label: c.capability },
          score: (slots - keep) * f.windowHours * 0.01,
          title: `${c.capability} could run on ${keep} of its ${slots} slots`,
          evidence: [`slots ${pct(s.utilisation)} busy over ${f.windowHours.toFixed(0)} h`, `${arrivals.toFixed(1)} tasks/h, mean run ${duration(s.runMeanMs)}`],
          effect: `queue wait p95 stays under ${duration(f.targetWaitMs)} (M/M/c at this load)`,
          action: null,
        });
      }
    }
  }
  // Imbalance among agents of one capability under a strategy that does not balance load.
  const byCap = new Map<string, AgentCapabilityFacts[]>();
  for (const a of f.agentCapabilities) groupInto(byCap, a.capability, a);
  if (f.defaultStrategy !== "least-loaded") {
    for (const [cap, list] of byCap) {
      const u = list.filter((a) => a.stat.utilisation != null && a.stat.started >= RULES.minTasks);
      if (u.length < 2) continue;
      const hi = u.reduce((a, b) => (b.stat.utilisation! > a.stat.utilisation! ? b : a));
      const lo = u.reduce((a, b) => (b.stat.utilisation! < a.stat.utilisation! ? b : a));
      if (hi.stat.utilisation! >= 0.5 && hi.stat.utilisation! >= RULES.imbalance * Math.max(lo.stat.utilisation!, 0.01)) {
        out.push({
          kind: "change_strategy",
          subject: { dim: "capability", key: cap, label: cap },
          score: (hi.stat.utilisation! - lo.stat.utilisation!) * 10,
          title: `balance ${cap} by load: ${hi.agentName} is ${pct(hi.stat.utilisation)} busy, ${lo.agentName} ${pct(lo.stat.utilisation)}`,
          evidence: [`strategy ${f.defaultStrategy} spreads tasks without looking at how busy agents are`, ...u.map((a) => `${a.agentName}: ${pct(a.stat.utilisation)} busy, ${a.stat.started} tasks`)],
          effect: `work goes to the agent with the most free slots; queue wait falls where ${hi.agentName} is the bottleneck`,
          action: { kind: "set_strategy", capability: cap, strategy: "least-loaded" },
        });
      }
    }
  }
  // Flaky agents: failing far more often than the rest of the fleet.
  const verdicts = (s: Stat) => s.succeeded + s.failed + s.dead;
  const fleetFailed = f.agents.reduce((n, a) => n + a.stat.failed + a.stat.retries, 0);
  const fleetRan = f.agents.reduce((n, a) => n + a.stat.started, 0);
  for (const a of f.agents) {
    const failures = a.stat.failed + a.stat.retries;
    const othersFailed = fleetFailed - failures;
    const othersRan = fleetRan - a.stat.started;
    if (a.draining || failures < RULES.flakyMinFailures || a.stat.started === 0 || othersRan < RULES.minTasks) continue;
    const rate = failures / a.stat.started;
    const others = othersFailed / othersRan;
    if (rate >= RULES.flakyFactor * Math.max(others, 0.01) && rate >= 0.2) {
      out.push({
        kind: "drain_flaky_agent",
        subject: { dim: "agent", key: a.agentId, label: a.agentName },
        score: failures,
        title: `drain ${a.agentName}: ${pct(rate)} of its attempts fail, ${pct(others)} elsewhere`,
        evidence: [`${failures} failed attempts of ${a.stat.started} (${verdicts(a.stat)} tasks ended)`, `the rest of the fleet: ${othersFailed} of ${othersRan}`],
        effect: `its work goes to healthy agents while someone looks at it; what it runs now finishes`,
        action: a.connected ? { kind: "drain_agent", agentId: a.agentId, agentName: a.agentName } : null,
      });
    }
  }
  return out.sort((a, b) => b.score - a.score);
}

/** Appends to the list under `key` (in place: grouping thousands of rows stays linear). */
function groupInto<K, V>(m: Map<K, V[]>, key: K, v: V) {
  const list = m.get(key);
  if (list) list.push(v);
  else m.set(key, [v]);
}
