// npm run bench:analytics -- [--tasks 1000000] [--days 30] [--runs 20] [--dispatch-rounds 2]
//
// 1. Loads --tasks finished tasks spread over --days through the store, the way the coordinator
//    writes them (bench/task-history.ts, shared with bench:api): task rows and, in the same
//    group-commit batches, the rollup increments the real recorder (server/core/insight)
//    derives from each task's history, and the error occurrences of the failures (3 %, in a
//    few fingerprint groups, one concentrated on one agent). Demand follows a weekly/daily shape
//    across 20 agents, 6 capabilities, 4 templates and 3 labels.
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
import { openSqliteStore } from "@/server/store/sqlite";
import { setLogLevel } from "@/server/log";
import { loadTaskHistory, percentile } from "./task-history";

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

async function load(file: string) {
  const store = await openSqliteStore(`file:${file}`);
  return { store, ...(await loadTaskHistory(store, { tasks: TASKS, days: DAYS })) };
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
