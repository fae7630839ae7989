// npm run bench:dashboard -- [--scenario small|large|all] [--runs 3] [--pages /,/tasks] [--presets mobile,desktop]
//                            [--live-rate 200] [--live-seconds 10] [--no-live] [--live-only] [--agents 1000]
//                            [--tasks 100000] [--db FILE] [--no-build]
//
// The dashboard as a user's browser sees it, on the real server's production build (`node
// scripts/build-if-stale.mjs` first; it builds only when the sources changed), started on a
// random 127.0.0.1 port with a temp data directory and signed in as the admin:
//
//   small  6 real runner agents (the `switchboard agent` CLI, capability shell, 2 slots) and 300
//          real shell tasks submitted over REST and run by them (every 10th fails on purpose);
//   large  100,000 finished tasks LOADED through the store before the server starts (the shared
//          loader of bench/task-history.ts: `loaded` in the RESULT line), then 1,000 light SDK
//          agents in 4 child processes (bench/fleet-child.ts) connected to the running server.
//
// For each scenario, page (`/`, `/tasks`) and preset (Lighthouse's default mobile config and its
// desktop-config.js), Lighthouse 12.2.3 runs --runs times (bench/dashboard-lighthouse.ts) and the
// median of each figure is printed:
//   RESULT bench=dashboard scenario=small page=/tasks preset=mobile lcp_ms=… tbt_ms=… cls=… score=… js_kb=… top_script=…
// Then, on the small scenario's server, the live-update measure (bench/dashboard-live.ts):
// --live-rate submissions/s for --live-seconds to a /tasks page in chromium, each one a task the
// agents really run (so each also brings its assigned/running/succeeded updates):
//   RESULT bench=dashboard case=live rate=200 push_to_screen_p95_ms=… submit_to_screen_p95_ms=… long_task_pct=…
// Targets (the issue): mobile LCP ≤ 2,000 ms, TBT ≤ 300 ms, CLS ≤ 0.1 on both pages; large
// desktop LCP ≤ 1,500 ms; live p95 ≤ 250 ms without saturating the main thread.
import { fork, spawnSync, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { openSqliteStore } from "@/server/store/sqlite";
import { startAgentProcess, type AgentHandle } from "@/testing/agent-process";
import { adminCookie, createToken, ROOT, startServerProcess, waitFor, type ServerHandle } from "@/testing/server-process";
import { lighthouseMedian, type Preset } from "./dashboard-lighthouse";
import { measureLive } from "./dashboard-live";
import { loadTaskHistory } from "./task-history";

const { values } = parseArgs({
  options: {
    scenario: { type: "string", default: "all" },
    runs: { type: "string", default: "3" },
    pages: { type: "string", default: "/,/tasks" },
    presets: { type: "string", default: "mobile,desktop" },
    "live-rate": { type: "string", default: "200" },
    "live-seconds": { type: "string", default: "10" },
    "no-live": { type: "boolean", default: false },
    /** Serve the build that is there (to measure it as it is), even when the sources changed since. */
    "no-build": { type: "boolean", default: false },
    /** The small scenario's live-update measure only (no Lighthouse). */
    "live-only": { type: "boolean", default: false },
    agents: { type: "string", default: "1000" },
    tasks: { type: "string", default: "100000" },
    /** Keep the large scenario's loaded database here and reuse it when it exists. */
    db: { type: "string" },
  },
});
const RUNS = Number(values.runs);
const PAGES = values.pages!.split(",");
const PRESETS = values.presets!.split(",") as Preset[];
const SCENARIOS = values.scenario === "all" ? ["small", "large"] : [values.scenario!];
const BENCH_ENV = {
  SWITCHBOARD_LOG_LEVEL: "warn",
  // One bench token submits everything: the limiter runs but never says no.
  SWITCHBOARD_RATE_LIMIT: "1000000/1000000",
  SWITCHBOARD_IP_RATE_LIMIT: "1000000/1000000",
  // Production heartbeat and lease (the test defaults are 300 ms / 1.5 s).
  SWITCHBOARD_HEARTBEAT_MS: "2000",
  SWITCHBOARD_LEASE_TTL_MS: "6000",
};

const f = (v: number, d = 0) => (Number.isFinite(v) ? v.toFixed(d) : "NaN");

/** A POST that honours the server's 503 + Retry-After (its overload governor), as the SDK and CLI do. */
async function post(server: ServerHandle, token: string, p: string, body: unknown): Promise<unknown> {
  for (let tries = 0; ; tries++) {
    const r = await fetch(`${server.url}${p}`, { method: "POST", headers: { authorization: `Bearer ${token}`, "content-type": "application/json" }, body: JSON.stringify(body) });
    if (r.status === 503 && tries < 50) {
      await new Promise((res) => setTimeout(res, Number(r.headers.get("retry-after") ?? 1) * 1000));
      continue;
    }
    if (!r.ok) throw new Error(`POST ${p}: ${r.status} ${await r.text()}`);
    return r.json();
  }
}
async function stats(server: ServerHandle, token: string) {
  const r = await fetch(`${server.url}/api/v1/stats`, { headers: { authorization: `Bearer ${token}` } });
  return (await r.json()) as { agents: { online: number; busy: number; draining: number }; tasks: Record<string, number> };
}

async function lighthouseAll(server: ServerHandle, scenario: string, note: string) {
  const cookie = await adminCookie(server);
  for (const page of PAGES) {
    for (const preset of PRESETS) {
      const m = await lighthouseMedian(server.url + page, cookie, preset, RUNS);
      const runs = m.all.map((r) => `${f(r.lcpMs)}/${f(r.tbtMs)}/${f(r.cls, 3)}`).join(",");
      console.log(
        `RESULT bench=dashboard scenario=${scenario}${note} page=${page} preset=${preset} lcp_ms=${f(m.lcpMs)} tbt_ms=${f(m.tbtMs)} cls=${f(m.cls, 3)} score=${f(m.score, 2)} js_kb=${f(m.jsKb)} top_script=${m.topScript} runs=${runs}`,
      );
    }
  }
}

async function small() {
  const server = await startServerProcess({ ui: true, env: BENCH_ENV });
  const agents: AgentHandle[] = [];
  try {
    const agentToken = await createToken(server, "bench-agents", "agent");
    const submitToken = await createToken(server, "bench-submit", "submit");
    const readToken = await createToken(server, "bench-read", "read");
    for (let i = 1; i <= 6; i++) agents.push(startAgentProcess({ server: server.url, token: agentToken, name: `runner-${i}`, capabilities: ["shell", i % 2 ? "typescript:3" : "python:2"], labels: [`region=${["eu", "us", "ap"][i % 3]}`], slots: 2 }));
    await waitFor(async () => { const s = await stats(server, readToken); return s.agents.online + s.agents.busy >= 6; }, "6 agents online", 60_000, 200);
    // Ten at a time, as a CI job's submitter would.
    let next = 0;
    const submitOne = async (i: number) => {
      const fail = i % 10 === 9;
      await post(server, submitToken, "/api/v1/tasks", { title: `${["build", "test", "lint", "package"][i % 4]} web-${i}`, command: fail ? `echo step ${i}; exit 3` : `echo step ${i}`, requires: ["shell"] });
    };
    await Promise.all(Array.from({ length: 10 }, async () => { while (next < 300) await submitOne(next++); }));
    await waitFor(async () => { const s = await stats(server, readToken); return (s.tasks.queued ?? 0) + (s.tasks.assigned ?? 0) + (s.tasks.running ?? 0) === 0; }, "300 tasks finished", 180_000, 500);
    console.log("small: 6 runner agents, 300 tasks run");
    if (!values["live-only"]) await lighthouseAll(server, "small", " agents=6 tasks=300");
    if (!values["no-live"]) {
      const rate = Number(values["live-rate"]);
      const live = await measureLive({ url: server.url, cookie: await adminCookie(server), submitToken, rate, seconds: Number(values["live-seconds"]), requires: ["shell"] });
      console.log(
        `RESULT bench=dashboard case=live scenario=small rate=${rate} sent=${live.sent} refused=${live.refused} seen=${live.seen} frames=${live.events} push_to_screen_p50_ms=${f(live.pushToScreenP50)} push_to_screen_p95_ms=${f(live.pushToScreenP95)} submit_to_screen_p50_ms=${f(live.submitToScreenP50)} submit_to_screen_p95_ms=${f(live.submitToScreenP95)} long_task_pct=${f(live.longTaskPct, 1)} target_p95_ms=250`,
      );
    }
  } finally {
    await Promise.all(agents.map((a) => a.stop()));
    await server.stop();
  }
}

async function large() {
  const N = Number(values.agents);
  const TASKS = Number(values.tasks);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "sb-bench-dashboard-"));
  const file = values.db ? path.resolve(values.db) : path.join(dataDir, "switchboard.db");
  if (!(values.db && fs.existsSync(file))) {
    console.log(`large: loading ${TASKS.toLocaleString()} tasks through the store…`);
    const store = await openSqliteStore(`file:${file}`);
    await loadTaskHistory(store, { tasks: TASKS, days: 7 });
    await store.close();
  }
  const server = await startServerProcess({ ui: true, dataDir, env: { ...BENCH_ENV, DATABASE_URL: `file:${file}`, SWITCHBOARD_HEARTBEAT_MS: "5000", SWITCHBOARD_LEASE_TTL_MS: "15000" } });
  const children: ChildProcess[] = [];
  try {
    const agentToken = await createToken(server, "bench-fleet", "agent");
    const readToken = await createToken(server, "bench-read", "read");
    const PROCS = 4;
    const per = Math.ceil(N / PROCS);
    for (let p = 0; p < PROCS; p++) {
      const c = fork(path.join(import.meta.dirname, "fleet-child.ts"), [server.url, agentToken, String(p * per), String(Math.min(per, N - p * per)), "25"], { execArgv: ["--import", "tsx"], stdio: ["ignore", "inherit", "inherit", "ipc"] });
      children.push(c);
    }
    await waitFor(async () => { const s = await stats(server, readToken); return s.agents.online + s.agents.busy + s.agents.draining >= N; }, `${N} agents online`, 240_000, 1000);
    console.log(`large: ${N} SDK agents online, ${TASKS.toLocaleString()} tasks loaded`);
    await lighthouseAll(server, "large", ` agents=${N} tasks=${TASKS}(loaded)`);
  } finally {
    for (const c of children) if (c.connected) c.send({ t: "close" });
    await Promise.all(children.map((c) => (c.exitCode === null ? new Promise((r) => c.once("exit", r)) : null)));
    await server.stop();
    if (!values.db) fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

async function main() {
  if (!values["no-build"]) {
    const build = spawnSync(process.execPath, [path.join(ROOT, "scripts", "build-if-stale.mjs")], { stdio: "inherit" });
    if (build.status !== 0) throw new Error("the dashboard build failed");
  }
  console.log(`bench:dashboard — ${os.cpus().length} cores, load ${os.loadavg().map((l) => l.toFixed(1)).join(" ")}, lighthouse 12.2.3, ${RUNS} runs each (median)`);
  for (const s of SCENARIOS) {
    if (s === "small") await small();
    else if (s === "large") await large();
    else throw new Error(`unknown scenario ${s}`);
  }
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
