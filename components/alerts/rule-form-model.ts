// The rule form's state and its conversions: a rule from the API into fields people fill in
// (minutes, percentages, label rows) and back into the API's input (milliseconds, ratios, a
// label record). Each kind keeps its own parameter fields, so switching the kind back and forth
// loses nothing. Pure.
import type { RuleView, ruleInput, updateRuleInput } from "@/lib/api";
import type { z } from "zod";
import { joinDuration, splitDuration, type DurationUnit, type DurationValue } from "./duration-fields";
import { ERROR_GROUP_KINDS, type ErrorGroupKind, type RuleKind } from "./rule-condition";

export type Severity = RuleView["severity"];
export const SEVERITIES: readonly Severity[] = ["info", "warning", "critical"];

export type RuleInput = z.input<typeof ruleInput>;
export type UpdateRuleInput = z.input<typeof updateRuleInput>;

/** Units each duration field offers (a window of seconds makes no sense, a repeat of days may). */
export const UNITS = {
  short: ["s", "min", "h"],
  window: ["min", "h"],
  long: ["min", "h", "d"],
  forecast: ["h", "d"],
} as const satisfies Record<string, readonly DurationUnit[]>;

export interface LabelRow {
  key: string;
  value: string;
}

export interface KindFields {
  agents_offline: { includeStopped: boolean };
  queue_wait: { target: DurationValue; window: DurationValue; minTasks: string };
  failure_rate: { thresholdPct: string; window: DurationValue; minTasks: string };
  dead_tasks: { window: DurationValue; min: string };
  approval_waiting: { olderThan: DurationValue };
  error_group: { window: DurationValue; kinds: ErrorGroupKind[] };
  forecast_shortage: { within: DurationValue };
  pool_at_max: Record<string, never>;
  pool_crash_loop: { crashes: string };
}

export interface RuleForm {
  name: string;
  kind: RuleKind;
  severity: Severity;
  enabled: boolean;
  forDuration: DurationValue;
  keepFiringFor: DurationValue;
  repeatInterval: DurationValue;
  labels: LabelRow[];
  params: KindFields;
}

/** The form's fields by the API path a server error names, with the words the form shows. */
export const RULE_FIELD_LABELS: Record<string, string> = {
  name: "Name",
  kind: "Kind",
  severity: "Severity",
  forMs: "For",
  keepFiringForMs: "Keep firing for",
  repeatIntervalMs: "Repeat every",
  labels: "Labels",
  "params.targetMs": "Queue-wait p95 over",
  "params.windowMs": "Window",
  "params.minTasks": "At least this many tasks",
  "params.threshold": "Failure rate at least",
  "params.min": "At least this many dead tasks",
  "params.olderThanMs": "Waiting longer than",
  "params.kinds": "Error groups that are",
  "params.withinMs": "Shortfall within",
  "params.crashes": "Crashes in 10 min",
};

const MIN = 60_000;
const H = 3_600_000;
const d = (ms: number, units: readonly DurationUnit[]) => splitDuration(ms, units);

function defaultParams(): KindFields {
  return {
    agents_offline: { includeStopped: false },
    queue_wait: { target: d(5 * MIN, UNITS.short), window: d(15 * MIN, UNITS.window), minTasks: "3" },
    failure_rate: { thresholdPct: "25", window: d(15 * MIN, UNITS.window), minTasks: "5" },
    dead_tasks: { window: d(15 * MIN, UNITS.window), min: "1" },
    approval_waiting: { olderThan: d(H, UNITS.long) },
    error_group: { window: d(30 * MIN, UNITS.window), kinds: [...ERROR_GROUP_KINDS] },
    forecast_shortage: { within: d(24 * H, UNITS.forecast) },
    pool_at_max: {},
    pool_crash_loop: { crashes: "3" },
  };
}

export function emptyRuleForm(): RuleForm {
  return {
    name: "",
    kind: "failure_rate",
    severity: "warning",
    enabled: true,
    forDuration: d(5 * MIN, UNITS.short),
    keepFiringFor: d(0, UNITS.short),
    repeatInterval: d(4 * H, UNITS.long),
    labels: [],
    params: defaultParams(),
  };
}

const n = (p: Record<string, unknown>, key: string): number | undefined => (typeof p[key] === "number" ? (p[key] as number) : undefined);
const str = (x: number | undefined, fallback: string) => (x == null ? fallback : String(Math.round(x * 1000) / 1000));

/** The fields for an existing rule; parameters it lacks keep their defaults. */
export function ruleToForm(rule: RuleView): RuleForm {
  const params = defaultParams();
  const p = rule.params;
  const dur = (key: string, units: readonly DurationUnit[], fallback: DurationValue) => (n(p, key) == null ? fallback : d(n(p, key)!, units));
  switch (rule.kind) {
    case "agents_offline":
      params.agents_offline = { includeStopped: p.includeStopped === true };
      break;
    case "queue_wait":
      params.queue_wait = { target: dur("targetMs", UNITS.short, params.queue_wait.target), window: dur("windowMs", UNITS.window, params.queue_wait.window), minTasks: str(n(p, "minTasks"), params.queue_wait.minTasks) };
      break;
    case "failure_rate":
      params.failure_rate = { thresholdPct: str(n(p, "threshold") == null ? undefined : n(p, "threshold")! * 100, params.failure_rate.thresholdPct), window: dur("windowMs", UNITS.window, params.failure_rate.window), minTasks: str(n(p, "minTasks"), params.failure_rate.minTasks) };
      break;
    case "dead_tasks":
      params.dead_tasks = { window: dur("windowMs", UNITS.window, params.dead_tasks.window), min: str(n(p, "min"), params.dead_tasks.min) };
      break;
    case "approval_waiting":
      params.approval_waiting = { olderThan: dur("olderThanMs", UNITS.long, params.approval_waiting.olderThan) };
      break;
    case "error_group":
      params.error_group = { window: dur("windowMs", UNITS.window, params.error_group.window), kinds: Array.isArray(p.kinds) ? ERROR_GROUP_KINDS.filter((k) => (p.kinds as unknown[]).includes(k)) : [...ERROR_GROUP_KINDS] };
      break;
    case "forecast_shortage":
      params.forecast_shortage = { within: dur("withinMs", UNITS.forecast, params.forecast_shortage.within) };
      break;
    case "pool_crash_loop":
      params.pool_crash_loop = { crashes: str(n(p, "crashes"), params.pool_crash_loop.crashes) };
      break;
  }
  return {
    name: rule.name,
    kind: rule.kind,
    severity: rule.severity,
    enabled: rule.enabled,
    forDuration: d(rule.forMs, UNITS.short),
    keepFiringFor: d(rule.keepFiringForMs, UNITS.short),
    repeatInterval: d(rule.repeatIntervalMs, UNITS.long),
    labels: Object.entries(rule.labels).map(([key, value]) => ({ key, value })),
    params,
  };
}

export type Converted<T> = { ok: true; value: T } | { ok: false; field: string; text: string };

class Problem extends Error {
  constructor(
    readonly field: string,
    readonly text: string,
  ) {
    super(text);
  }
}

function ms(v: DurationValue, field: string): number {
  const x = joinDuration(v);
  if (x == null) throw new Problem(field, "must be a number of 0 or more");
  return x;
}

function count(text: string, field: string): number {
  const t = text.trim();
  if (!/^\d+$/.test(t)) throw new Problem(field, "must be a whole number");
  return Number(t);
}

function kindParams(form: RuleForm): { kind: RuleKind; params: Record<string, unknown> } {
  const k = form.kind;
  switch (k) {
    case "agents_offline":
      return { kind: k, params: { includeStopped: form.params.agents_offline.includeStopped } };
    case "queue_wait": {
      const p = form.params.queue_wait;
      return { kind: k, params: { targetMs: ms(p.target, "params.targetMs"), windowMs: ms(p.window, "params.windowMs"), minTasks: count(p.minTasks, "params.minTasks") } };
    }
    case "failure_rate": {
      const p = form.params.failure_rate;
      const pct = p.thresholdPct.trim().replace(",", ".").replace(/\s*%$/, "");
      if (!/^\d+(\.\d+)?$/.test(pct)) throw new Problem("params.threshold", "must be a percentage such as 25");
      return { kind: k, params: { threshold: Math.round(Number(pct) * 1000) / 100_000, windowMs: ms(p.window, "params.windowMs"), minTasks: count(p.minTasks, "params.minTasks") } };
    }
    case "dead_tasks": {
      const p = form.params.dead_tasks;
      return { kind: k, params: { windowMs: ms(p.window, "params.windowMs"), min: count(p.min, "params.min") } };
    }
    case "approval_waiting":
      return { kind: k, params: { olderThanMs: ms(form.params.approval_waiting.olderThan, "params.olderThanMs") } };
    case "error_group": {
      const p = form.params.error_group;
      if (!p.kinds.length) throw new Problem("params.kinds", "pick at least one");
      return { kind: k, params: { windowMs: ms(p.window, "params.windowMs"), kinds: ERROR_GROUP_KINDS.filter((x) => p.kinds.includes(x)) } };
    }
    case "forecast_shortage":
      return { kind: k, params: { withinMs: ms(form.params.forecast_shortage.within, "params.withinMs") } };
    case "pool_at_max":
      return { kind: k, params: {} };
    case "pool_crash_loop":
      return { kind: k, params: { crashes: count(form.params.pool_crash_loop.crashes, "params.crashes") } };
  }
}

function labelRecord(rows: readonly LabelRow[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const r of rows) {
    const key = r.key.trim();
    if (!key && !r.value.trim()) continue; // an empty row is not a label
    if (!key) throw new Problem("labels", `the label with value "${r.value.trim()}" needs a name`);
    if (key in out) throw new Problem("labels", `${key} appears twice`);
    out[key] = r.value.trim();
  }
  return out;
}

/**
 * The API's input, or the first field that cannot be converted (not a number, a label without a
 * name). Ranges and name rules are the server's to check: it says the same on every way in.
 */
export function formToRuleInput(form: RuleForm): Converted<RuleInput> {
  try {
    const name = form.name.trim();
    if (!name) throw new Problem("name", "must not be empty");
    const value = {
      name,
      severity: form.severity,
      enabled: form.enabled,
      forMs: ms(form.forDuration, "forMs"),
      keepFiringForMs: ms(form.keepFiringFor, "keepFiringForMs"),
      repeatIntervalMs: ms(form.repeatInterval, "repeatIntervalMs"),
      labels: labelRecord(form.labels),
      ...kindParams(form),
    } as RuleInput; // kindParams pairs each kind with its own params
    return { ok: true, value };
  } catch (e) {
    if (e instanceof Problem) return { ok: false, field: e.field, text: e.text };
    throw e;
  }
}

/** The same rule with one change, for the list's enabled switch: every other field as it was. */
export function ruleUpdate(rule: RuleView, change: Partial<Pick<RuleView, "enabled">>): UpdateRuleInput {
  const { id, name, kind, params, severity, labels, forMs, keepFiringForMs, repeatIntervalMs, enabled } = { ...rule, ...change };
  return { id, name, kind, params, severity, labels, forMs, keepFiringForMs, repeatIntervalMs, enabled } as UpdateRuleInput; // params as the server gave them
}
