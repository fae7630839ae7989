// npm run bench:dispatch -- [--agents 50] [--tasks 10000] [--slots 4] [--batch 50] [--inflight N]
//
// Starts the real server (its own temp data dir, 127.0.0.1), connects N SDK agents over
// Socket.IO, submits M no-op tasks over HTTP in batches and waits until every one has
// succeeded. Latency is submit (request sent) → the agent's handler receives the task.
// Submission is closed-loop: at most --inflight tasks (default: all agent slots) are submitted
// but not yet finished, so a task never waits for a slot and the latency measures the
// dispatch path rather than a backlog the bench itself created. At the end the SQLite file is opened directly to prove every task was
// durably recorded as succeeded.
import Database from "better-sqlite3";
import path from "node:path";
import { parseArgs } from "node:util";
import { connectAgent, type Agent } from "@/agent/sdk";
import { createToken, startServerProcess } from "@/testing/server-process";

const { values } = parseArgs({
  options: {
    agents: { type: "string", default: "50" },
    tasks: { type: "string", default: "10000" },
    slots: { type: "string", default: "4" },
    batch: { type: "string", default: "50" },
    inflight: { type: "string" },
  },
});
const AGENTS = Number(values.agents);
const TASKS = Number(values.tasks);
const SLOTS = Number(values.slots);
const BATCH = Number(values.batch);
const INFLIGHT = Number(values.inflight ?? AGENTS * SLOTS);

function percentile(sorted: number[], p: number) {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function main() {
  const server = await startServerProcess({
    env: { SWITCHBOARD_HEARTBEAT_MS: "2000", SWITCHBOARD_LEASE_TTL_MS: "6000", SWITCHBOARD_LOG_LEVEL: process.env.SB_TRACE_CYCLES ? "debug" : "warn" },
    // SB_PROFILE=<dir> writes a CPU profile of the server there.
    nodeArgs: process.env.SB_PROFILE ? ["--cpu-prof", `--cpu-prof-dir=${process.env.SB_PROFILE}`] : [],
  });
  const token = await createToken(server, "bench");
  const sentAt = new Float64Array(TASKS);
  const latency: number[] = [];
  let received = 0;
  let done = 0;
  let wake: (() => void) | null = null;
  const notify = () => {
    const w = wake;
    wake = null;
    w?.();
  };

  const agents: Agent[] = await Promise.all(
    Array.from({ length: AGENTS }, (_, i) =>
      connectAgent({
        server: server.url,
        token,
        card: { name: `bench-${i}`, slots: SLOTS, capabilities: ["noop"] },
        logger: { info: () => {}, warn: () => {} },
        onTask: () => null,
      }),
    ),
  );
  for (const a of agents) {
    // "Receives" is the moment the assignment reaches the agent, before it accepts and runs it.
    a.on("taskAssigned", (task) => {
      latency.push(performance.now() - sentAt[(task.payload as { seq: number }).seq]);
      received++;
    });
    a.on("taskFinished", () => {
      done++;
      notify();
    });
  }

  const t0 = performance.now();
  let submitted = 0;
  while (submitted < TASKS) {
    while (submitted - done >= INFLIGHT) await new Promise<void>((r) => (wake = r));
    const n = Math.min(BATCH, TASKS - submitted, INFLIGHT - (submitted - done));
    const tasks = Array.from({ length: n }, (_, k) => ({ title: `noop ${submitted + k}`, payload: { seq: submitted + k }, requires: ["noop"], retry: { maxAttempts: 1, backoffMs: 0 } }));
    const now = performance.now();
    for (let k = 0; k < n; k++) sentAt[submitted + k] = now;
    submitted += n;
    const r = await fetch(`${server.url}/api/v1/tasks`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
      body: JSON.stringify({ tasks }),
    });
    if (r.status !== 201) throw new Error(`submit failed: ${r.status} ${await r.text()}`);
  }
  while (done < TASKS) await new Promise<void>((r) => (wake = r));
  // Completions are acknowledged only once durable, so the store now holds every result.
  const elapsed = (performance.now() - t0) / 1000;

  await Promise.all(agents.map((a) => a.close({ flushTimeoutMs: 2000 })));
  await server.stop();
  if (process.env.SB_TRACE_CYCLES) {
    const cycles = [...server.output().matchAll(/batch written tasks=(\d+) events=(\d+) agents=(\d+) writeMs=([\d.]+)/g)].map((m) => m.slice(1).map(Number));
    const w = cycles.map((c) => c[3]).sort((a, b) => a - b);
    console.log(`cycles=${cycles.length} write_p50_ms=${percentile(w, 50)} write_p95_ms=${percentile(w, 95)} tasks_per_cycle=${(cycles.reduce((n, c) => n + c[0], 0) / cycles.length).toFixed(1)}`);
  }
  const db = new Database(path.join(server.dataDir, "switchboard.db"), { readonly: true });
  const stored = (db.prepare(`SELECT COUNT(*) AS n FROM "Task" WHERE status = 'succeeded'`).get() as { n: number }).n;
  db.close();

  latency.sort((a, b) => a - b);
  console.log(`agents=${AGENTS} slots=${SLOTS} tasks=${TASKS} batch=${BATCH} inflight=${INFLIGHT} elapsed_s=${elapsed.toFixed(2)} durably_succeeded=${stored}`);
  if (stored !== TASKS) {
    console.error(`only ${stored} of ${TASKS} tasks are recorded as succeeded`);
    process.exitCode = 1;
  }
  console.log(
    `RESULT tasks_per_s=${Math.round(TASKS / elapsed)} p50_ms=${percentile(latency, 50).toFixed(1)} p95_ms=${percentile(latency, 95).toFixed(1)} p99_ms=${percentile(latency, 99).toFixed(1)}`,
  );
  process.exit();
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
