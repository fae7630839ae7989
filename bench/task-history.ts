// A stored history of tasks for the benchmarks that read (bench:analytics, bench:api): --tasks
// tasks spread over --days by the demand shape (a weekly/daily curve), written through the
// store the way the coordinator writes them — task rows and, in the same group-commit batches
// (one per ten simulated minutes), the rollup increments the real recorder (server/core/insight)
// derives from each task's history and the error occurrences of the failures (3 %, in a few
// fingerprint groups, one concentrated on one agent). 20 agents, 6 capabilities, 4 templates,
// 3 labels. Task ids are `bt<n in base 36>` for n = 1…written, so a reader can pick ids at random.
//
// `decorate` (bench:api) turns the plain finished task into a varied one — status, title,
// payload, result, labels — and returns the history and log lines written with it in the same
// batch. Its randomness must be its own: without it the load (and so bench:analytics' data) is
// exactly what it always was.
import { ErrorBook } from "@/server/core/insight/errors";
import { RollupBuffer, addCounters, keyString } from "@/server/core/insight/rollup";
import { demandFactor, seededRandom } from "@/server/insight/simulated-history";
import type { HistoryEntry, TaskState } from "@/server/core/scheduler";
import type { LogRow, Store, WriteBatch } from "@/server/store/ports";
import { task as storedTask } from "@/server/store/conformance";

export const MIN = 60_000;

export const CAPS = [
  { name: "build", runMs: 3 * MIN },
  { name: "test", runMs: 2 * MIN },
  { name: "typescript", runMs: 90_000 },
  { name: "python", runMs: MIN },
  { name: "docs", runMs: 2 * MIN },
  { name: "gpu", runMs: 10 * MIN },
];
export const AGENTS = Array.from({ length: 20 }, (_, i) => ({ name: `bench-${i + 1}`, cap: CAPS[i % CAPS.length].name, region: ["eu", "us", "ap"][i % 3], labels: [`region=${["eu", "us", "ap"][i % 3]}`] }));
const TEMPLATES = ["release-train@3", "release-train@4", "feature-pipeline@2", "repo-maintenance@1"];
const ERRORS = [
  (r: () => number) => `exit code 1: connection reset by peer after ${Math.floor(r() * 3000)} ms`,
  (r: () => number) => `exit code 137: Killed (out of memory, pid ${Math.floor(r() * 30000)})`,
  (r: () => number) => `exit code 2: error: missing header /usr/include/x${Math.floor(r() * 9)}.h`,
  (r: () => number) => `timed out after ${Math.floor(r() * 900000)} ms`,
];

/** The id of the n-th loaded task (1-based). */
export const taskIdOf = (n: number) => `bt${n.toString(36)}`;

/** What a decorated task brings along: its history and its log, written in the same batch. */
export interface TaskExtras {
  history: HistoryEntry[];
  logs: LogRow[];
}

/** Makes the plain finished task varied (in place) and says what else to write with it. */
export type Decorate = (t: TaskState, ctx: { agent: (typeof AGENTS)[number]; capability: string; failed: boolean; errorMessage: string | null; now: number }) => TaskExtras;

export interface LoadOptions {
  tasks: number;
  days: number;
  decorate?: Decorate;
  /** Progress on stderr. */
  progress?: boolean;
}

export interface Loaded {
  /** The end of the loaded period (the minute the load was made at). */
  to: number;
  written: number;
  loadS: number;
}

/** Rows with the same key added together (as one buffer over the whole batch would have). */
function mergeRows(rows: NonNullable<WriteBatch["rollups"]>): NonNullable<WriteBatch["rollups"]> {
  const byKey = new Map<string, (typeof rows)[number]>();
  for (const r of rows) {
    const k = keyString(r.key);
    const had = byKey.get(k);
    if (had) addCounters(had.counters, r.counters);
    else byKey.set(k, r);
  }
  return [...byKey.values()];
}

export async function loadTaskHistory(store: Store, opts: LoadOptions): Promise<Loaded> {
  const { tasks: TASKS, days: DAYS, decorate } = opts;
  const random = seededRandom(7);
  const to = Math.floor(Date.now() / MIN) * MIN;
  const from = to - DAYS * 24 * 60 * MIN;
  const minutes = DAYS * 24 * 60;
  // Spread the tasks over the minutes by the demand shape.
  let weight = 0;
  for (let m = 0; m < minutes; m++) weight += demandFactor(from + m * MIN);
  const perWeight = TASKS / weight;
  const book = new ErrorBook([]);
  let written = 0;
  const pendingRollups: NonNullable<WriteBatch["rollups"]> = [];
  const pendingTasks: TaskState[] = [];
  const pendingOccurrences: NonNullable<WriteBatch["errorOccurrences"]> = [];
  const pendingHistory: WriteBatch["history"] = [];
  const pendingLogs: WriteBatch["logs"] = [];
  let eventId = 0;
  let logId = 0;
  let carry = 0;
  let id = 0;
  const t0 = performance.now();
  for (let m = 0; m < minutes; m++) {
    const at = from + m * MIN;
    carry += demandFactor(at) * perWeight;
    const n = Math.floor(carry);
    carry -= n;
    if (n === 0) continue;
    const buffer = new RollupBuffer();
    const tasks: TaskState[] = [];
    const errorOccurrences: NonNullable<WriteBatch["errorOccurrences"]> = [];
    for (let i = 0; i < n; i++) {
      const agent = AGENTS[Math.floor(random() * AGENTS.length)];
      const cap = CAPS.find((c) => c.name === agent.cap)!;
      const template = random() < 0.3 ? TEMPLATES[Math.floor(random() * TEMPLATES.length)] : null;
      const scope = { capabilities: [cap.name], template, agent: agent.name, labels: agent.labels };
      const submitted = at + Math.floor(random() * MIN);
      const wait = Math.floor(random() ** 3 * 10 * MIN);
      const run = Math.floor(cap.runMs * Math.exp((random() - 0.5) * 1.2));
      // Errors: 3 %, and agent bench-7 fails a lot more (one group concentrated on it).
      const fails = random() < (agent.name === "bench-7" ? 0.2 : 0.02);
      buffer.submitted(submitted, scope);
      buffer.started(submitted + wait, scope, wait);
      buffer.attemptEnded(submitted + wait + run, scope, run, true, run);
      buffer.ended(submitted + wait + run, scope, fails ? "failed" : "succeeded");
      const taskId = taskIdOf(++id);
      let errorMessage: string | null = null;
      if (fails) {
        const kind = agent.name === "bench-7" ? 1 : Math.floor(random() * ERRORS.length);
        errorMessage = ERRORS[kind](random);
        const o = book.observe({ taskId, attempt: 1, at: submitted + wait + run, error: errorMessage, lastLines: [], agentId: agent.name, agentName: agent.name, agentVersion: "1.0.0", capability: cap.name, template, labels: agent.labels, cpuPct: random() * 100, memPct: random() * 100 });
        errorOccurrences.push(o.occurrence);
        buffer.errorOccurred(o.occurrence.at, o.occurrence.groupId);
      }
      const task: TaskState = storedTask(taskId, {
        title: `bench ${cap.name}`,
        command: null,
        payload: null,
        requirements: [{ name: cap.name, level: 1 }],
        labelSelector: {},
        status: fails ? "failed" : "succeeded",
        attempt: 1,
        failures: fails ? 1 : 0,
        maxAttempts: 1,
        template,
        error: fails ? "failed" : null,
        createdAt: submitted,
        assignedAt: submitted + wait,
        startedAt: submitted + wait,
        finishedAt: submitted + wait + run,
        updatedAt: submitted + wait + run,
      });
      if (decorate) {
        const extras = decorate(task, { agent, capability: cap.name, failed: fails, errorMessage, now: to });
        for (const h of extras.history) pendingHistory.push({ ...h, id: ++eventId });
        for (const l of extras.logs) pendingLogs.push({ ...l, id: ++logId });
      }
      tasks.push(task);
    }
    for (const a of AGENTS) buffer.available(at, { capabilities: [a.cap], template: null, agent: a.name, labels: a.labels }, 2 * MIN);
    if (m % 5 === 0) for (const a of AGENTS) buffer.sample(at, a.name, 20 + random() * 60, 500 + random() * 500);
    // Minute rows older than their retention (2 days) are what pruning removes on a live server.
    pendingRollups.push(...buffer.drain().filter((r) => r.key.granularity !== "minute" || r.key.bucket >= to - 2 * 24 * 60 * MIN));
    pendingTasks.push(...tasks);
    pendingOccurrences.push(...errorOccurrences);
    // One batch per ten simulated minutes: the coordinator's batches are bigger under load anyway.
    if (m % 10 === 9 || m === minutes - 1) {
      await store.batches.write({
        tasks: pendingTasks.splice(0),
        history: pendingHistory.splice(0),
        logs: pendingLogs.splice(0),
        samples: [],
        agents: [],
        rollups: mergeRows(pendingRollups.splice(0)),
        errorGroups: book.drainChanged(),
        errorOccurrences: pendingOccurrences.splice(0),
      });
    }
    written += n;
    if (opts.progress !== false && m % 2880 === 0) process.stderr.write(`\r  loaded ${written.toLocaleString()} tasks (${Math.round((m / minutes) * 100)} %)`);
  }
  const loadS = (performance.now() - t0) / 1000;
  if (opts.progress !== false) process.stderr.write(`\r  loaded ${written.toLocaleString()} tasks in ${loadS.toFixed(0)} s\n`);
  return { to, written, loadS };
}

/** The nearest-rank percentile of sorted values. */
export function percentile(sorted: number[], p: number) {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}
