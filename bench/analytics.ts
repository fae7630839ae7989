// npm run bench:analytics -- [--tasks 1000000] [--days 30] [--runs 20] [--dispatch-rounds 2]
//
// 1. Loads --tasks finished tasks spread over --days through the store, the way the coordinator
//    writes them: task rows and, in the same group-commit batches (one per simulated minute),
//    the rollup increments the real recorder (server/core/insight) derives from each task's
//    history, and the error occurrences of the failures (3 %, in a few fingerprint groups, one
//    concentrated on one agent). Demand follows a weekly/daily shape across 20 agents, 6
//    capabilities, 4 templates and 3 labels.
// 2. Times the analytics queries the pages and the API run (summary for every range and
//    dimension, errors, capacity, recommendations), --runs each: p50 and p95 per query.
// 3. Measures what recording rollups costs dispatch: bench:dispatch with the server's analytics
//    on and off, alternating, --dispatch-rounds each, in this same run (a ratio from one run is
//    what a noisy shared machine can tell).
// --db FILE keeps the loaded database and reuses it when it exists (for profiling the queries).
// Prints RESULT lines; targets: every query p95 ≤ 100 ms, rollups ≤ 5 % of dispatch throughput.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { FakeClock } from "@/server/core/clock";
import { Coordinator } from "@/server/coordinator/coordinator";
import { InsightQueries } from "@/server/insight/insight-queries";
import { ErrorBook } from "@/server/core/insight/errors";
import { RollupBuffer, addCounters, keyString } from "@/server/core/insight/rollup";
import { demandFactor, seededRandom } from "@/server/insight/simulated-history";
import { openSqliteStore } from "@/server/store/sqlite";
import { setLogLevel } from "@/server/log";
import type { TaskState } from "@/server/core/scheduler";
import type { WriteBatch } from "@/server/store/ports";

const { values } = parseArgs({
  options: {
    tasks: { type: "string", default: "1000000" },
    days: { type: "string", default: "30" },
    runs: { type: "string", default: "20" },
    "dispatch-rounds": { type: "string", default: "2" },
    "dispatch-tasks": { type: "string", default: "10000" },
    /** Keep the loaded database here and reuse it on the next run (loading 1M tasks takes minutes). */
    db: { type: "string" },
    /** Only the queries whose name contains this. */
    only: { type: "string" },
  },
});
const TASKS = Number(values.tasks);
const DAYS = Number(values.days);
const RUNS = Number(values.runs);
const ROUNDS = Number(values["dispatch-rounds"]);
const MIN = 60_000;


const CAPS = [
  { name: "build", runMs: 3 * MIN },
  { name: "test", runMs: 2 * MIN },
  { name: "typescript", runMs: 90_000 },
  { name: "python", runMs: MIN },
  { name: "docs", runMs: 2 * MIN },
  { name: "gpu", runMs: 10 * MIN },
];
const AGENTS = Array.from({ length: 20 }, (_, i) => ({ name: `bench-${i + 1}`, cap: CAPS[i % CAPS.length].name, labels: [`region=${["eu", "us", "ap"][i % 3]}`] }));
const TEMPLATES = ["release-train@3", "release-train@4", "feature-pipeline@2", "repo-maintenance@1"];
const ERRORS = [
  (r: () => number) => `exit code 1: connection reset by peer after ${Math.floor(r() * 3000)} ms`,
  (r: () => number) => `exit code 137: Killed (out of memory, pid ${Math.floor(r() * 30000)})`,
  (r: () => number) => `exit code 2: error: missing header /usr/include/x${Math.floor(r() * 9)}.h`,
  (r: () => number) => `timed out after ${Math.floor(r() * 900000)} ms`,
];

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

function percentile(sorted: number[], p: number) {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function load(file: string) {
  const store = await openSqliteStore(`file:${file}`);
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
      const taskId = `bt${(++id).toString(36)}`;
      if (fails) {
        const kind = agent.name === "bench-7" ? 1 : Math.floor(random() * ERRORS.length);
        const o = book.observe({ taskId, attempt: 1, at: submitted + wait + run, error: ERRORS[kind](random), lastLines: [], agentId: agent.name, agentName: agent.name, agentVersion: "1.0.0", capability: cap.name, template, labels: agent.labels, cpuPct: random() * 100, memPct: random() * 100 });
        errorOccurrences.push(o.occurrence);
        buffer.errorOccurred(o.occurrence.at, o.occurrence.groupId);
      }
      tasks.push({
        id: taskId,
        title: `bench ${cap.name}`,
        command: null,
        payload: null,
        requirements: [{ name: cap.name, level: 1 }],
        labelSelector: {},
        priority: 0,
        strategy: null,
        status: fails ? "failed" : "succeeded",
        attempt: 1,
        failures: fails ? 1 : 0,
        maxAttempts: 1,
        backoffMs: 1000,
        timeoutMs: null,
        progressTimeoutMs: null,
        queueTimeoutMs: null,
        lastProgressAt: null,
        queuedAt: null,
        notBefore: null,
        leaseExpiresAt: null,
        agentId: null,
        avoidAgentIds: [],
        idempotencyKey: null,
        runId: null,
        stepId: null,
        template,
        submittedBy: null,
        progress: null,
        result: null,
        error: fails ? "failed" : null,
        createdAt: submitted,
        assignedAt: submitted + wait,
        startedAt: submitted + wait,
        finishedAt: submitted + wait + run,
        updatedAt: submitted + wait + run,
      });
    }
    for (const a of AGENTS) buffer.available(at, { capabilities: [a.cap], template: null, agent: a.name, labels: a.labels }, 2 * MIN);
    if (m % 5 === 0) for (const a of AGENTS) buffer.sample(at, a.name, 20 + random() * 60, 500 + random() * 500);
    // Minute rows older than their retention (2 days) are what pruning removes on a live server.
    pendingRollups.push(...buffer.drain().filter((r) => r.key.granularity !== "minute" || r.key.bucket >= to - 2 * 24 * 60 * MIN));
    pendingTasks.push(...tasks);
    pendingOccurrences.push(...errorOccurrences);
    // One batch per ten simulated minutes: the coordinator's batches are bigger under load anyway.
    if (m % 10 === 9 || m === minutes - 1) {
      await store.batches.write({ tasks: pendingTasks.splice(0), history: [], logs: [], samples: [], agents: [], rollups: mergeRows(pendingRollups.splice(0)), errorGroups: book.drainChanged(), errorOccurrences: pendingOccurrences.splice(0) });
    }
    written += n;
    if (m % 2880 === 0) process.stderr.write(`\r  loaded ${written.toLocaleString()} tasks (${Math.round((m / minutes) * 100)} %)`);
  }
  process.stderr.write(`\r  loaded ${written.toLocaleString()} tasks in ${((performance.now() - t0) / 1000).toFixed(0)} s\n`);
  return { store, to, written, loadS: (performance.now() - t0) / 1000 };
}

async function timeQueries(store: Awaited<ReturnType<typeof openSqliteStore>>, now: number) {
  const clock = new FakeClock(now);
  const coordinator = new Coordinator({ store, clock, heartbeatIntervalMs: 2000, leaseTtlMs: 6000, defaultStrategy: "least-loaded", manualTicks: true });
  await coordinator.start();
  const q = new InsightQueries({ store, coordinator, clock });
  const cases: [string, () => Promise<unknown>][] = [];
  for (const range of ["1h", "24h", "7d", "30d"] as const) {
    for (const dimension of ["capability", "agent", "template", "label"] as const) cases.push([`summary ${range} ${dimension}`, () => q.summary({ range, dimension })]);
    cases.push([`errors ${range}`, () => q.errors({ range, status: "all" })]);
  }
  cases.push(["capacity", () => q.capacity({})]);
  cases.push(["recommendations 7d", () => q.recommendations({ range: "7d" })]);
  cases.push(["recommendations 30d", () => q.recommendations({ range: "30d" })]);
  const out: { name: string; p50: number; p95: number }[] = [];
  for (const [name, fn] of cases) {
    if (values.only && !name.includes(values.only)) continue;
    await fn(); // warm: statements prepared, pages cached
    const times: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const t = performance.now();
      await fn();
      times.push(performance.now() - t);
    }
    times.sort((a, b) => a - b);
    out.push({ name, p50: percentile(times, 50), p95: percentile(times, 95) });
    console.log(`  ${name.padEnd(28)} p50 ${percentile(times, 50).toFixed(1).padStart(6)} ms   p95 ${percentile(times, 95).toFixed(1).padStart(6)} ms`);
  }
  await coordinator.stop();
  return out;
}

function dispatchOnce(rollups: "on" | "off"): number {
  const out = execFileSync(process.execPath, ["--import", "tsx", path.join(import.meta.dirname, "dispatch.ts"), "--tasks", values["dispatch-tasks"]!, "--rollups", rollups], { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] });
  const m = /RESULT tasks_per_s=(\d+)/.exec(out);
  if (!m) throw new Error(`bench:dispatch printed no RESULT:\n${out}`);
  console.log(`  dispatch, analytics ${rollups}: ${m[1]} tasks/s`);
  return Number(m[1]);
}

async function main() {
  setLogLevel("warn");
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sb-bench-analytics-"));
  const file = values.db ? path.resolve(values.db) : path.join(dir, "bench.db");
  try {
    let loaded: Awaited<ReturnType<typeof load>>;
    if (values.db && fs.existsSync(file)) {
      const store = await openSqliteStore(`file:${file}`);
      const meta = JSON.parse((await store.insight.meta("bench-analytics")) ?? "null") as { to: number; written: number; loadS: number } | null;
      if (!meta) throw new Error(`${file} was not loaded by this benchmark`);
      console.log(`Reusing ${file}: ${meta.written.toLocaleString()} tasks`);
      loaded = { store, ...meta };
    } else {
      console.log(`Loading ${TASKS.toLocaleString()} tasks over ${DAYS} days…`);
      loaded = await load(file);
      await loaded.store.insight.setMeta("bench-analytics", JSON.stringify({ to: loaded.to, written: loaded.written, loadS: loaded.loadS }));
    }
    const { store, to, written, loadS } = loaded;
    const size = fs.statSync(file).size;
    console.log(`Timing analytics queries (${RUNS} runs each):`);
    const results = await timeQueries(store, to);
    await store.close();
    const worst = results.reduce((a, b) => (b.p95 > a.p95 ? b : a), results[0]);
    const by = (prefix: string) => Math.max(...results.filter((r) => r.name.startsWith(prefix)).map((r) => r.p95));
    if (worst) console.log(
      `RESULT bench=analytics tasks=${written} days=${DAYS} db_mb=${(size / 1e6).toFixed(0)} load_s=${loadS.toFixed(0)} summary_p95_ms=${by("summary").toFixed(1)} errors_p95_ms=${by("errors").toFixed(1)} capacity_p95_ms=${by("capacity").toFixed(1)} recommendations_p95_ms=${by("recommendations").toFixed(1)} worst="${worst.name}" worst_p95_ms=${worst.p95.toFixed(1)} target_ms=100 ${worst.p95 <= 100 ? "ok" : "OVER"}`,
    );
    if (ROUNDS > 0) {
      console.log(`Dispatch with and without rollups, alternating, ${ROUNDS} rounds:`);
      const on: number[] = [];
      const off: number[] = [];
      for (let i = 0; i < ROUNDS; i++) {
        off.push(dispatchOnce("off"));
        on.push(dispatchOnce("on"));
      }
      const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
      const cost = 1 - mean(on) / mean(off);
      console.log(`RESULT bench=analytics-dispatch-cost rounds=${ROUNDS} tasks_per_s_off=${Math.round(mean(off))} tasks_per_s_on=${Math.round(mean(on))} cost_pct=${(cost * 100).toFixed(1)} target_pct=5 ${cost <= 0.05 ? "ok" : "OVER"}`);
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

void main().catch((e) => {
  console.error(e);
  process.exit(1);
});
