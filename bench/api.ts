// npm run bench:api -- [--tasks 100000] [--days 7] [--seconds 10] [--warmup 3] [--only CASE] [--db FILE]
//
// The REST read path under a fixed offered load. Loads --tasks tasks (mixed statuses,
// capabilities, labels and titles, each with its history and log lines, spread over --days; the
// shared loader of bench/task-history.ts) into a fresh data directory through the store, starts
// the real server on it (a child process, as in production: REST under /api/v1, the coordinator,
// Socket.IO), creates a read-scoped token and offers each case a fixed request rate with
// autocannon — 50 connections, `overallRate` — for --seconds after a --warmup at the same rate
// that is not counted:
//
//   get    GET /api/v1/tasks/:id, a random loaded id each request       1,000 req/s   p99 ≤ 10 ms
//   list   GET /api/v1/tasks?limit=50&status=…&search=… (a status and     500 req/s   p99 ≤ 25 ms
//          a repository name, drawn from a few of each)
//   stats  GET /api/v1/stats (fleet counters)                           1,000 req/s   p99 ≤ 10 ms
//
// Latency is each response's own time from autocannon's `response` event (request written →
// response parsed), all responses counted, errors included. autocannon's rate is per connection
// per second (rate / 50 each, sent back to back at each second's start), so the offered load
// comes in bursts of 50 concurrent requests: latency includes queueing behind the other 49.
// The rate limits are raised for the run (one token from one address at 1,000 req/s): the
// limiter still runs on every request, it just never says no.
//
// --db FILE keeps the loaded database there and reuses it when it exists. SB_PROFILE=<dir>
// writes a CPU profile of the server (node --cpu-prof) for the whole run.
// Each case ends with `RESULT bench=api case=<name> offered=… served=… p50_ms=… p95_ms=…
// p99_ms=… target_p99_ms=… errors=…`.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { createRequire } from "node:module";
import type { TaskStatus } from "@/lib/protocol";
import { seededRandom } from "@/server/insight/simulated-history";
import { openSqliteStore } from "@/server/store/sqlite";
import { setLogLevel } from "@/server/log";
import { createToken, startServerProcess } from "@/testing/server-process";
import { loadTaskHistory, percentile, taskIdOf, type Decorate } from "./task-history";

const { values } = parseArgs({
  options: {
    tasks: { type: "string", default: "100000" },
    days: { type: "string", default: "7" },
    seconds: { type: "string", default: "10" },
    warmup: { type: "string", default: "3" },
    connections: { type: "string", default: "50" },
    /** Only this case (get, list or stats). */
    only: { type: "string" },
    /** Keep the loaded database here and reuse it when it exists. */
    db: { type: "string" },
  },
});
const TASKS = Number(values.tasks);
const DAYS = Number(values.days);
const SECONDS = Number(values.seconds);
const WARMUP = Number(values.warmup);
const CONNECTIONS = Number(values.connections);
const META = "bench-api";

/** The part of autocannon (v8, no type definitions of its own) used here. */
interface AutocannonInstance extends PromiseLike<{ errors: number; timeouts: number; non2xx: number }> {
  on(event: "response", listener: (client: unknown, status: number, bytes: number, ms: number) => void): void;
}
type Autocannon = (opts: {
  url: string;
  connections: number;
  overallRate: number;
  duration: number;
  timeout: number;
  headers: Record<string, string>;
  requests: { method: string; setupRequest: (req: Record<string, unknown>) => Record<string, unknown> }[];
}) => AutocannonInstance;
const autocannon = createRequire(import.meta.url)("autocannon") as Autocannon;

const REPOS = ["payments-api", "web-frontend", "search-indexer", "auth-service", "billing", "mobile-app", "data-pipeline", "infra", "docs-site", "ml-models", "gateway", "notifications"];
const VERBS: Record<string, string> = { build: "build", test: "test", typescript: "typecheck", python: "pytest", docs: "render docs", gpu: "train" };

/** Varied tasks: statuses, titles, labels, payloads, results, each with its history and a few log lines. */
function decorator(): Decorate {
  const r = seededRandom(11);
  const hex = () => Math.floor(r() * 0xffffffff).toString(16).padStart(8, "0");
  return (t, { agent, capability, failed, errorMessage, now }) => {
    const repo = REPOS[Math.floor(r() * REPOS.length)];
    t.title = `${VERBS[capability]} ${repo}${r() < 0.2 ? " (nightly)" : ""} #${1 + Math.floor(r() * 9999)}`;
    t.command = `make ${capability} REPO=${repo}`;
    t.payload = { repo, ref: hex() + hex(), env: r() < 0.5 ? "ci" : "staging" };
    if (r() < 0.2) t.requirements = [...t.requirements, { name: "linux", level: 1 }];
    if (r() < 0.4) t.labelSelector = { region: agent.region };
    t.priority = r() < 0.1 ? 5 : 0;
    t.submittedBy = r() < 0.7 ? { kind: "token", name: "ci", role: "submit", by: "admin" } : { kind: "user", name: "alice", role: "operator", by: null };
    const history: ReturnType<Decorate>["history"] = [{ taskId: t.id, at: t.createdAt, type: "submitted", attempt: 0, agentId: null, message: null }];
    const logs: ReturnType<Decorate>["logs"] = [];
    const fate = r();
    let status: TaskStatus = failed ? (fate < 0.3 ? "dead" : "failed") : fate < 0.02 ? "canceled" : "succeeded";
    // The last two hours keep a backlog: queued tasks the (agentless) coordinator holds in memory.
    if (!failed && t.createdAt > now - 2 * 3_600_000 && fate > 0.6) status = "queued";
    if (status === "queued" || status === "canceled") {
      Object.assign(t, { status, attempt: 0, failures: 0, assignedAt: null, startedAt: null, finishedAt: status === "canceled" ? t.createdAt + 5_000 : null, updatedAt: t.createdAt + 5_000, error: status === "canceled" ? "canceled by alice" : null });
      if (status === "canceled") history.push({ taskId: t.id, at: t.finishedAt!, type: "canceled", attempt: 0, agentId: null, message: "canceled by alice" });
      return { history, logs };
    }
    const attempts = status === "dead" ? 3 : 1;
    Object.assign(t, { status, agentId: agent.name, attempt: attempts, failures: failed ? attempts : 0, maxAttempts: status === "dead" ? 3 : t.maxAttempts, error: failed ? errorMessage : null, progress: 100 });
    if (status === "succeeded") t.result = { exitCode: 0, artifacts: Math.floor(r() * 5), durationMs: t.finishedAt! - t.startedAt! };
    const span = t.finishedAt! - t.startedAt!;
    for (let a = 1; a <= attempts; a++) {
      const start = t.startedAt! + ((a - 1) * span) / attempts;
      history.push({ taskId: t.id, at: start - 1, type: "assigned", attempt: a, agentId: agent.name, message: null });
      history.push({ taskId: t.id, at: start, type: "started", attempt: a, agentId: agent.name, message: null });
      const lines = 2 + Math.floor(r() * 7);
      for (let i = 0; i < lines; i++) logs.push({ taskId: t.id, attempt: a, at: start + i * 1000, stream: "stdout", line: `[${capability}] ${repo}: step ${i + 1}/${lines} ok (${Math.floor(r() * 900)} ms)` });
      if (failed) logs.push({ taskId: t.id, attempt: a, at: start + lines * 1000, stream: "stderr", line: errorMessage ?? "error" });
      if (a < attempts) history.push({ taskId: t.id, at: start + span / attempts - 1, type: "attempt_failed", attempt: a, agentId: agent.name, message: errorMessage });
    }
    history.push({ taskId: t.id, at: t.finishedAt!, type: status === "succeeded" ? "succeeded" : status === "dead" ? "dead" : "failed", attempt: attempts, agentId: agent.name, message: failed ? errorMessage : null });
    return { history, logs };
  };
}

interface Case {
  name: string;
  rate: number;
  targetP99: number;
  path: () => string;
}

async function runCase(url: string, token: string, c: Case, seconds: number) {
  const latencies: number[] = [];
  let non2xx = 0;
  const instance = autocannon({
    url,
    connections: CONNECTIONS,
    overallRate: c.rate,
    duration: seconds,
    timeout: 10,
    headers: { authorization: `Bearer ${token}` },
    requests: [{ method: "GET", setupRequest: (req) => ({ ...req, path: c.path() }) }],
  });
  instance.on("response", (_client, status, _bytes, ms) => {
    latencies.push(ms);
    if (status < 200 || status >= 300) non2xx++;
  });
  const result = await instance;
  latencies.sort((a, b) => a - b);
  // Requests still in flight at the end (at most one per connection) are neither: a server that
  // falls behind shows as served < offered.
  const errors = non2xx + result.errors + result.timeouts;
  return {
    served: latencies.length / seconds,
    p50: percentile(latencies, 50) ?? NaN,
    p95: percentile(latencies, 95) ?? NaN,
    p99: percentile(latencies, 99) ?? NaN,
    max: latencies[latencies.length - 1] ?? NaN,
    errors,
    non2xx,
    connErrors: result.errors,
    timeouts: result.timeouts,
  };
}

/**
 * Waits until the server answers at once again: a case the server could not keep up with
 * leaves a backlog (autocannon gives up on a request, the server still serves it), which must
 * not be charged to the next case.
 */
async function idle(url: string) {
  const deadline = Date.now() + 60_000;
  let fast = 0;
  while (fast < 5 && Date.now() < deadline) {
    const t = performance.now();
    await fetch(`${url}/healthz`).then((r) => r.arrayBuffer());
    fast = performance.now() - t < 5 ? fast + 1 : 0;
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function main() {
  setLogLevel("warn");
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "sb-bench-api-"));
  const file = values.db ? path.resolve(values.db) : path.join(dataDir, "switchboard.db");
  let server: Awaited<ReturnType<typeof startServerProcess>> | null = null;
  try {
    let meta: { to: number; written: number; loadS: number };
    if (values.db && fs.existsSync(file)) {
      const store = await openSqliteStore(`file:${file}`);
      const m = JSON.parse((await store.insight.meta(META)) ?? "null") as typeof meta | null;
      await store.close();
      if (!m) throw new Error(`${file} was not loaded by this benchmark`);
      console.log(`Reusing ${file}: ${m.written.toLocaleString()} tasks`);
      meta = m;
    } else {
      console.log(`Loading ${TASKS.toLocaleString()} tasks over ${DAYS} days…`);
      const store = await openSqliteStore(`file:${file}`);
      meta = await loadTaskHistory(store, { tasks: TASKS, days: DAYS, decorate: decorator() });
      await store.insight.setMeta(META, JSON.stringify(meta));
      await store.close();
    }
    console.log(`  ${(fs.statSync(file).size / 1e6).toFixed(0)} MB`);
    const profile = process.env.SB_PROFILE ? path.resolve(process.env.SB_PROFILE) : null;
    if (profile) fs.mkdirSync(profile, { recursive: true });
    server = await startServerProcess({
      dataDir,
      env: {
        DATABASE_URL: `file:${file}`,
        SWITCHBOARD_LOG_LEVEL: "warn",
        // One token from one address at 1,000 req/s: the limiter runs, but never refuses.
        SWITCHBOARD_RATE_LIMIT: "1000000/1000000",
        SWITCHBOARD_IP_RATE_LIMIT: "1000000/1000000",
      },
      nodeArgs: profile ? ["--cpu-prof", `--cpu-prof-dir=${profile}`] : [],
    });
    const token = await createToken(server, "bench-api", "read");
    const pick = seededRandom(3);
    const statuses = ["succeeded", "succeeded", "succeeded", "failed"];
    const cases: Case[] = [
      { name: "get", rate: 1000, targetP99: 10, path: () => `/api/v1/tasks/${taskIdOf(1 + Math.floor(pick() * meta.written))}` },
      {
        name: "list",
        rate: 500,
        targetP99: 25,
        path: () => `/api/v1/tasks?limit=50&status=${statuses[Math.floor(pick() * statuses.length)]}&search=${REPOS[Math.floor(pick() * REPOS.length)]}`,
      },
      { name: "stats", rate: 1000, targetP99: 10, path: () => `/api/v1/stats` },
    ];
    // Each case's answer once, to fail loudly on a broken setup rather than time errors.
    for (const c of cases) {
      const r = await fetch(`${server.url}${c.path()}`, { headers: { authorization: `Bearer ${token}` } });
      if (!r.ok) throw new Error(`${c.name}: ${r.status} ${await r.text()}`);
    }
    for (const c of cases) {
      if (values.only && c.name !== values.only) continue;
      await idle(server.url);
      if (WARMUP > 0) await runCase(server.url, token, c, WARMUP);
      const r = await runCase(server.url, token, c, SECONDS);
      console.log(
        `  ${c.name.padEnd(6)} offered ${c.rate}/s  served ${r.served.toFixed(0)}/s  p50 ${r.p50.toFixed(2)} ms  p95 ${r.p95.toFixed(2)} ms  p99 ${r.p99.toFixed(2)} ms  max ${r.max.toFixed(1)} ms  non-2xx ${r.non2xx}  conn errors ${r.connErrors}  timeouts ${r.timeouts}`,
      );
      console.log(
        `RESULT bench=api case=${c.name} offered=${c.rate} served=${r.served.toFixed(0)} p50_ms=${r.p50.toFixed(2)} p95_ms=${r.p95.toFixed(2)} p99_ms=${r.p99.toFixed(2)} target_p99_ms=${c.targetP99} errors=${r.errors} ${r.p99 <= c.targetP99 && r.errors === 0 ? "ok" : "OVER"}`,
      );
    }
  } finally {
    await server?.stop();
    // The data directory always goes; with --db the database itself lives elsewhere and stays.
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

void main().catch((e) => {
  console.error(e);
  process.exit(1);
});
