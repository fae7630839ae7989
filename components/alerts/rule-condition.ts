// What a rule watches, in one line, from its kind and parameters: "queue-wait p95 over 5 min per
// capability (15 min window, at least 3 tasks)". Used by the rule list and, live, by the rule
// form. Parameters come from the server as a plain record, so every read has a fallback. Pure.
import type { RuleView } from "@/lib/api";
import { humanDuration } from "./duration-fields";

export type RuleKind = RuleView["kind"];

export const RULE_KINDS: readonly RuleKind[] = ["agents_offline", "queue_wait", "failure_rate", "dead_tasks", "approval_waiting", "error_group", "forecast_shortage", "pool_at_max", "pool_crash_loop"];

export const KIND_LABEL: Record<RuleKind, string> = {
  agents_offline: "Agent offline",
  queue_wait: "Queue wait",
  failure_rate: "Failure rate",
  dead_tasks: "Dead tasks",
  approval_waiting: "Approval waiting",
  error_group: "Error group new or spiking",
  forecast_shortage: "Capacity shortfall forecast",
  pool_at_max: "Pool at its maximum",
  pool_crash_loop: "Pool agents keep dying",
};

export const ERROR_GROUP_KINDS = ["error_group_new", "error_group_reopened", "error_group_spike"] as const;
export type ErrorGroupKind = (typeof ERROR_GROUP_KINDS)[number];
export const ERROR_GROUP_KIND_LABEL: Record<ErrorGroupKind, string> = { error_group_new: "new", error_group_reopened: "reopened", error_group_spike: "spiking" };

const num = (p: Record<string, unknown>, key: string, fallback: number) => (typeof p[key] === "number" && Number.isFinite(p[key]) ? (p[key] as number) : fallback);
const pct = (x: number) => `${Math.round(x * 1000) / 10} %`;
const tasks = (n: number) => `${n} task${n === 1 ? "" : "s"}`;

/** "a, b or c". */
function orList(items: readonly string[]): string {
  return items.length <= 1 ? (items[0] ?? "") : `${items.slice(0, -1).join(", ")} or ${items[items.length - 1]}`;
}

/** Per capability, or for one when the rule names it (a `capability` parameter). */
function capabilityText(p: Record<string, unknown>): string {
  return typeof p.capability === "string" && p.capability ? `for capability ${p.capability}` : "per capability";
}

/** The condition a rule fires on, in words. */
export function describeCondition(kind: RuleKind, params: Record<string, unknown> = {}): string {
  switch (kind) {
    case "agents_offline":
      return params.includeStopped === true ? "an agent is offline, including one its owner stopped" : "an agent is offline (not one its owner stopped)";
    case "queue_wait":
      return `queue-wait p95 over ${humanDuration(num(params, "targetMs", 300_000))} ${capabilityText(params)} (${humanDuration(num(params, "windowMs", 900_000))} window, at least ${tasks(num(params, "minTasks", 3))})`;
    case "failure_rate":
      return `${pct(num(params, "threshold", 0.25))} or more of tasks fail ${capabilityText(params)} (${humanDuration(num(params, "windowMs", 900_000))} window, at least ${tasks(num(params, "minTasks", 5))})`;
    case "dead_tasks": {
      const min = num(params, "min", 1);
      return `${min === 1 ? "a task" : `${min} or more tasks`} dead in the fleet (${humanDuration(num(params, "windowMs", 900_000))} window)`;
    }
    case "approval_waiting":
      return `an approval waits longer than ${humanDuration(num(params, "olderThanMs", 3_600_000))}`;
    case "error_group": {
      const kinds = Array.isArray(params.kinds) ? params.kinds.filter((k): k is ErrorGroupKind => (ERROR_GROUP_KINDS as readonly unknown[]).includes(k)) : [...ERROR_GROUP_KINDS];
      return `an error group is ${orList((kinds.length ? kinds : ERROR_GROUP_KINDS).map((k) => ERROR_GROUP_KIND_LABEL[k]))} (${humanDuration(num(params, "windowMs", 1_800_000))} window)`;
    }
    case "forecast_shortage":
      return `the forecast needs more agents than a capability has, within ${humanDuration(num(params, "withinMs", 86_400_000))}`;
    case "pool_at_max":
      return "an agent pool wants more agents than its maximum";
    case "pool_crash_loop":
      return `${num(params, "crashes", 3)} or more of a pool's agents died in 10 min`;
  }
}
