// The task's and the agent's stored shape, once: each column with how a value goes in and comes
// out. The batch writer builds its INSERT … ON CONFLICT from these, and the repositories read
// rows back through them, so the two directions cannot disagree.
import type { TaskState } from "@/server/core/scheduler";
import type { AgentRow, ErrorGroupRow } from "../ports";
import { BUCKETS } from "@/server/core/insight/histogram";
import { COUNTER_FIELDS, emptyCounters, scalarCounters, type Counters, type RollupKey } from "@/server/core/insight/rollup";
import { parse } from "../row-values";

/** `json`: always JSON text ("null" for null); `json?`: NULL for null or undefined, else JSON text. */
type Kind = "plain" | "json" | "json?" | "date";

export interface Column<T> {
  name: string;
  kind: Kind;
  get: (row: T) => unknown;
  /** Where the read value goes; absent for columns written but not read back. */
  key?: keyof T;
  /** The value a missing or unparsable JSON column reads as. */
  fallback?: unknown;
}

const col = <T, K extends keyof T & string>(name: K, kind: Kind = "plain", fallback?: unknown): Column<T> => ({ name, kind, key: name, fallback, get: (r: T) => r[name] });

/** A stored value as the engine's driver binds it: JSON as text, times as Date. */
export function toStored(kind: Kind, v: unknown): unknown {
  if (kind === "json") return JSON.stringify(v ?? null);
  if (kind === "json?") return v == null ? null : JSON.stringify(v);
  if (kind === "date") return v == null ? null : new Date(v as number);
  return v === undefined ? null : v;
}

/** A read value back in memory: JSON parsed (leniently), times (Date or ISO text) as epoch ms. */
export function fromStored(kind: Kind, v: unknown, fallback: unknown): unknown {
  if (kind === "json" || kind === "json?") return typeof v === "string" ? parse(v, fallback) : (v ?? fallback);
  if (kind === "date") return v == null ? null : v instanceof Date ? v.getTime() : typeof v === "number" || typeof v === "bigint" ? Number(v) : new Date(String(v)).getTime();
  return v;
}

export const TASK_COLUMNS: Column<TaskState>[] = [
  col("id"),
  col("title"),
  col("command"),
  col("payload", "json", null),
  col("requirements", "json", []),
  col("labelSelector", "json", {}),
  col("priority"),
  col("strategy"),
  col("status"),
  col("attempt"),
  col("failures"),
  col("avoidAgentIds", "json", []),
  col("maxAttempts"),
  col("backoffMs"),
  col("timeoutMs"),
  col("progressTimeoutMs"),
  col("queueTimeoutMs"),
  col("notBefore", "date"),
  col("leaseExpiresAt", "date"),
  col("agentId"),
  col("idempotencyKey"),
  col("runId"),
  col("stepId"),
  col("template"),
  col("submittedBy", "json?", null),
  col("progress"),
  // A task without a result stores NULL (not the JSON text "null").
  col("result", "json?", null),
  col("error"),
  col("createdAt", "date"),
  col("assignedAt", "date"),
  col("startedAt", "date"),
  col("finishedAt", "date"),
  col("updatedAt", "date"),
];

/** A stored task row (Prisma's object, or the driver's) back to the scheduler's state. */
export function taskFromRow(r: Record<string, unknown>): TaskState {
  const t: Record<string, unknown> = { lastProgressAt: null, queuedAt: null };
  for (const c of TASK_COLUMNS) {
    if (!c.key) continue;
    t[c.key as string] = fromStored(c.kind, r[c.name], c.fallback);
  }
  return t as unknown as TaskState;
}

/** The task columns read back, in the order `taskFromValues` expects them. */
export const TASK_READ_COLUMNS = TASK_COLUMNS.filter((c) => c.key);

const readDate = (x: unknown): number | null => (x == null ? null : typeof x === "string" ? Date.parse(x) : (fromStored("date", x, null) as number | null));
const readJson = (x: unknown, fallback: unknown): unknown => (typeof x === "string" ? parse(x, fallback) : (x ?? fallback));

/**
 * A task from a row read as an array of TASK_READ_COLUMNS' values (the driver's raw mode: no
 * object of 35 properties per row first) — the same result as taskFromRow. Built once from the
 * column table as one object literal: every task gets the same shape (V8 keeps such objects
 * fast; assigned key by key in a loop they were dictionaries), and a start's 100,000 rows map
 * in a fraction of the time.
 */
export const taskFromValues: (v: readonly unknown[]) => TaskState = (() => {
  const fallbacks = TASK_READ_COLUMNS.map((c) => c.fallback);
  const fields = TASK_READ_COLUMNS.map((c, i) => {
    const key = JSON.stringify(c.key);
    if (c.kind === "plain") return `${key}: v[${i}]`;
    if (c.kind === "date") return `${key}: readDate(v[${i}])`;
    // Fallbacks are shared values ([] and {}): copied, so no two tasks share one.
    return `${key}: readJson(v[${i}], copy(fallbacks[${i}]))`;
  });
  const copy = (x: unknown) => (Array.isArray(x) ? [] : x !== null && typeof x === "object" ? {} : x);
  const build = new Function("readDate", "readJson", "copy", "fallbacks", `return (v) => ({ lastProgressAt: null, queuedAt: null, ${fields.join(", ")} });`);
  return build(readDate, readJson, copy, fallbacks) as (v: readonly unknown[]) => TaskState;
})();

export const AGENT_COLUMNS: Column<AgentRow>[] = [
  col("id"),
  col("name"),
  col("kind"),
  col("status"),
  col("capabilities", "json", []),
  col("labels", "json", {}),
  col("channels", "json", []),
  col("slots"),
  col("version"),
  col("cpu"),
  col("memoryMb"),
  col("lastHeartbeatAt", "date"),
  col("connectedAt", "date"),
  col("tokenId"),
  col("credentialHash"),
  col("offlineReason"),
  col("acceptFrom", "json", []),
  // Set on every write: the row's own bookkeeping, not the agent's state.
  { name: "createdAt", kind: "date", get: () => Date.now() },
  { name: "updatedAt", kind: "date", get: () => Date.now() },
];

export function agentFromRow(r: Record<string, unknown>): AgentRow {
  const a: Record<string, unknown> = {};
  for (const c of AGENT_COLUMNS) if (c.key) a[c.key as string] = fromStored(c.kind, r[c.name], c.fallback);
  return a as unknown as AgentRow;
}

export const ERROR_GROUP_COLUMNS: Column<ErrorGroupRow>[] = [
  col("id"),
  col("title"),
  col("sample"),
  col("sampleLog", "json", []),
  col("firstSeen", "date"),
  col("lastSeen", "date"),
  col("count"),
  col("status"),
  col("statusBy"),
  col("statusAt", "date"),
  col("reopenedAt", "date"),
];

export function errorGroupFromRow(r: Record<string, unknown>): ErrorGroupRow {
  const g: Record<string, unknown> = {};
  for (const c of ERROR_GROUP_COLUMNS) if (c.key) g[c.key as string] = fromStored(c.kind, r[c.name], c.fallback);
  return g as unknown as ErrorGroupRow;
}

const hist = (prefix: string) => Array.from({ length: BUCKETS }, (_, i) => `${prefix}${i}`);
const QW = hist("qw");
const RT = hist("rt");

/** The counter columns of a Rollup row, in the order rollupValues binds them. */
export const ROLLUP_COUNTER_COLUMNS: string[] = [...COUNTER_FIELDS, ...QW, ...RT];

/** Bucket starts are stored as minutes since the epoch (an INTEGER any engine holds in 32 bits). */
export const toMinutes = (ms: number) => Math.floor(ms / 60_000);

export function rollupValues(r: { key: RollupKey; counters: Counters }): unknown[] {
  const c = r.counters;
  return [r.key.granularity, toMinutes(r.key.bucket), r.key.dim, r.key.key, ...COUNTER_FIELDS.map((f) => c[f]), ...c.queueWait, ...c.runTime];
}

/** A row's keys and scalar counters only (a row without histograms: see batchStatements). */
export function scalarRollupValues(r: { key: RollupKey; counters: Counters }): unknown[] {
  const c = r.counters;
  return [r.key.granularity, toMinutes(r.key.bucket), r.key.dim, r.key.key, ...COUNTER_FIELDS.map((f) => c[f])];
}

/** Counters from a row's values in ROLLUP_COUNTER_COLUMNS order (the scalar fields only, without histograms), from `at`. */
export function countersFromValues(values: readonly unknown[], at: number, histograms: boolean): Counters {
  const c = histograms ? emptyCounters() : scalarCounters();
  let i = at;
  for (const f of COUNTER_FIELDS) c[f] = Number(values[i++] ?? 0);
  if (!histograms) return c;
  for (let j = 0; j < c.queueWait.length; j++) c.queueWait[j] = Number(values[i++] ?? 0);
  for (let j = 0; j < c.runTime.length; j++) c.runTime[j] = Number(values[i++] ?? 0);
  return c;
}
