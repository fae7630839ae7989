// What each built-in rule kind looks at, and where its condition holds now: one observation per
// series (an offline agent, a slow capability, a waiting approval …) with the labels that
// identify it and a sentence with the evidence. The engine gathers the facts (the fleet, rollups
// over each rule's window, pending approvals, error events, the capacity forecast); this module
// only decides. Pure.
import type { Labels } from "@/lib/label-matchers";
import type { Observation, Severity } from "./alert-state";

export type RuleKind = "agents_offline" | "queue_wait" | "failure_rate" | "dead_tasks" | "approval_waiting" | "error_group" | "forecast_shortage" | "pool_at_max" | "pool_crash_loop";

export interface RuleParams {
  agents_offline: { includeStopped: boolean };
  queue_wait: { targetMs: number; windowMs: number; minTasks: number };
  failure_rate: { threshold: number; windowMs: number; minTasks: number };
  dead_tasks: { windowMs: number; min: number };
  approval_waiting: { olderThanMs: number };
  error_group: { windowMs: number; kinds: ("error_group_new" | "error_group_reopened" | "error_group_spike")[] };
  forecast_shortage: { withinMs: number };
  pool_at_max: Record<string, never>;
  pool_crash_loop: { crashes: number };
}

export interface RuleDef<K extends RuleKind = RuleKind> {
  id: string;
  name: string;
  kind: K;
  params: RuleParams[K];
  severity: Severity;
  labels: Labels;
  forMs: number;
  keepFiringForMs: number;
  repeatIntervalMs: number;
  enabled: boolean;
}

/** Tasks over a window, per capability (and for the fleet as "*"). */
export interface WindowStat {
  capability: string;
  started: number;
  waitP95Ms: number | null;
  succeeded: number;
  failed: number;
  dead: number;
}

export interface AlertFacts {
  now: number;
  agents: readonly { name: string; health: "healthy" | "unhealthy" | "offline"; offlineSince: number | null; reason: string | null; deliberate: boolean }[];
  /** By window length (ms): the stats each rule's window asks for. */
  windows: ReadonlyMap<number, readonly WindowStat[]>;
  approvals: readonly { runId: string; stepId: string; template: string; waitingSince: number }[];
  errorEvents: readonly { kind: RuleParams["error_group"]["kinds"][number]; groupId: string; title: string; at: number; message: string }[];
  shortfalls: readonly { capability: string; from: number; to: number; extra: number; text: string }[];
  /** Agent pools: whether the last decision wanted more than max, and recent crashes. */
  pools: readonly { name: string; atMax: boolean; wanted: number; max: number; crashes: number }[];
}

/** The windows (ms) the rules need stats for. */
export function windowsOf(rules: readonly RuleDef[]): number[] {
  const out = new Set<number>();
  for (const r of rules) {
    if (!r.enabled) continue;
    if (r.kind === "queue_wait" || r.kind === "failure_rate" || r.kind === "dead_tasks") out.add((r.params as { windowMs: number }).windowMs);
  }
  return [...out];
}

const minutes = (ms: number) => (ms < 60_000 ? `${Math.round(ms / 1000)} s` : ms < 3_600_000 ? `${Math.round(ms / 60_000)} min` : `${(ms / 3_600_000).toFixed(ms % 3_600_000 ? 1 : 0)} h`);
const pct = (x: number) => `${Math.round(x * 100)} %`;

/** Where the rule's condition holds now. */
export function observe(rule: RuleDef, f: AlertFacts): Observation[] {
  const base = { ...rule.labels, alertname: rule.name, severity: rule.severity };
  const obs = (labels: Record<string, string>, value: number | null, summary: string): Observation => ({ labels: { ...base, ...labels }, value, summary });
  switch (rule.kind) {
    case "agents_offline": {
      const p = rule.params as RuleParams["agents_offline"];
      return f.agents
        .filter((a) => a.health === "offline" && (p.includeStopped || !a.deliberate))
        .map((a) => obs({ agent: a.name }, a.offlineSince == null ? null : (f.now - a.offlineSince) / 1000, `agent ${a.name} offline${a.offlineSince != null ? ` for ${minutes(f.now - a.offlineSince)}` : ""}${a.reason ? ` (${a.reason})` : ""}`));
    }
    case "queue_wait": {
      const p = rule.params as RuleParams["queue_wait"];
      return (f.windows.get(p.windowMs) ?? [])
        .filter((c) => c.capability !== "*" && c.started >= p.minTasks && c.waitP95Ms != null && c.waitP95Ms > p.targetMs)
        .map((c) => obs({ capability: c.capability }, c.waitP95Ms! / 1000, `capability ${c.capability}: queue wait p95 ${minutes(c.waitP95Ms!)} over the last ${minutes(p.windowMs)} (target ${minutes(p.targetMs)}, ${c.started} tasks)`));
    }
    case "failure_rate": {
      const p = rule.params as RuleParams["failure_rate"];
      return (f.windows.get(p.windowMs) ?? [])
        .filter((c) => c.capability !== "*")
        .flatMap((c) => {
          const ended = c.succeeded + c.failed + c.dead;
          const rate = ended ? (c.failed + c.dead) / ended : 0;
          return ended >= p.minTasks && rate >= p.threshold ? [obs({ capability: c.capability }, rate, `capability ${c.capability}: ${pct(rate)} of ${ended} tasks failed over the last ${minutes(p.windowMs)} (threshold ${pct(p.threshold)})`)] : [];
        });
    }
    case "dead_tasks": {
      const p = rule.params as RuleParams["dead_tasks"];
      const fleet = (f.windows.get(p.windowMs) ?? []).find((c) => c.capability === "*");
      return fleet && fleet.dead >= p.min ? [obs({}, fleet.dead, `${fleet.dead} task${fleet.dead === 1 ? "" : "s"} dead over the last ${minutes(p.windowMs)}: no retries left, or no agent took them in time`)] : [];
    }
    case "approval_waiting": {
      const p = rule.params as RuleParams["approval_waiting"];
      return f.approvals
        .filter((a) => f.now - a.waitingSince >= p.olderThanMs)
        .map((a) => obs({ run: a.runId, step: a.stepId, template: a.template }, (f.now - a.waitingSince) / 1000, `approval ${a.stepId} of ${a.template} run ${a.runId} waiting for ${minutes(f.now - a.waitingSince)}`));
    }
    case "error_group": {
      const p = rule.params as RuleParams["error_group"];
      const latest = new Map<string, AlertFacts["errorEvents"][number]>();
      for (const e of f.errorEvents) if (p.kinds.includes(e.kind) && f.now - e.at < p.windowMs && (latest.get(e.groupId)?.at ?? -Infinity) <= e.at) latest.set(e.groupId, e);
      return [...latest.values()].map((e) => obs({ group: e.groupId, kind: e.kind.replace("error_group_", "") }, null, e.message));
    }
    case "forecast_shortage": {
      const p = rule.params as RuleParams["forecast_shortage"];
      const first = new Map<string, AlertFacts["shortfalls"][number]>();
      for (const s of f.shortfalls) if (s.from < f.now + p.withinMs && s.to > f.now && !first.has(s.capability)) first.set(s.capability, s);
      return [...first.values()].map((s) => obs({ capability: s.capability }, s.extra, `forecast: ${s.text}`));
    }
    case "pool_at_max":
      return f.pools.filter((p) => p.atMax).map((p) => obs({ pool: p.name }, p.wanted, `pool ${p.name} wants ${p.wanted} agents; its maximum is ${p.max}`));
    case "pool_crash_loop": {
      const p = rule.params as RuleParams["pool_crash_loop"];
      return f.pools.filter((x) => x.crashes >= p.crashes).map((x) => obs({ pool: x.name }, x.crashes, `pool ${x.name}: ${x.crashes} agents died in the last 10 min; it keeps replacing them, with backoff`));
    }
  }
}

/** The rules a fresh install starts with (editable, and each can be disabled). */
export function builtInRules(): RuleDef[] {
  const H = 3_600_000;
  const M = 60_000;
  const rule = <K extends RuleKind>(id: string, name: string, kind: K, params: RuleParams[K], severity: Severity, forMs: number, keepFiringForMs = 0, repeatIntervalMs = 4 * H): RuleDef =>
    ({ id, name, kind, params, severity, labels: {}, forMs, keepFiringForMs, repeatIntervalMs, enabled: true }) as RuleDef;
  return [
    rule("builtin-agents-offline", "AgentOffline", "agents_offline", { includeStopped: false }, "critical", 0, 0),
    rule("builtin-queue-wait", "QueueWaitHigh", "queue_wait", { targetMs: 5 * M, windowMs: 15 * M, minTasks: 3 }, "warning", 5 * M, 5 * M),
    rule("builtin-failure-rate", "FailureRateHigh", "failure_rate", { threshold: 0.25, windowMs: 15 * M, minTasks: 5 }, "warning", 5 * M, 5 * M),
    rule("builtin-dead-tasks", "TasksDead", "dead_tasks", { windowMs: 15 * M, min: 1 }, "warning", 0, 0),
    rule("builtin-approval-waiting", "ApprovalWaiting", "approval_waiting", { olderThanMs: H }, "info", 0, 0, 8 * H),
    rule("builtin-error-group", "ErrorGroupNewOrSpiking", "error_group", { windowMs: 30 * M, kinds: ["error_group_new", "error_group_reopened", "error_group_spike"] }, "warning", 0, 0),
    rule("builtin-forecast-shortage", "CapacityShortfallForecast", "forecast_shortage", { withinMs: 24 * H }, "info", 30 * M, 30 * M, 12 * H),
    rule("builtin-pool-at-max", "PoolAtMax", "pool_at_max", {}, "warning", 2 * M, M),
    rule("builtin-pool-crash-loop", "PoolCrashLooping", "pool_crash_loop", { crashes: 3 }, "critical", 0, 5 * M),
  ];
}
