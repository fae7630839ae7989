// npm run bench:dispatch -- [--agents 50] [--tasks 10000] [--slots 4] [--batch 50] [--inflight N] [--rollups on|off]
//
// Starts the real server (its own temp data dir, 127.0.0.1), connects N SDK agents over
// Socket.IO, submits M no-op tasks over HTTP in batches and waits until every one has
// succeeded. Latency is submit (request sent) → the agent's handler receives the task; each
// task counts once: a repeated push of an assignment the agent already has adds no sample and
// is reported (every task must reach an agent exactly once and finish exactly once).
// Submission is closed-loop: at most --inflight tasks (default: all agent slots) are submitted
// but not yet finished, so a task never waits for a slot and the latency measures the
// dispatch path rather than a backlog the bench itself created.
// Durability: the moment the last completion is acknowledged the server is SIGKILLed (no
// graceful stop, no chance to flush), started again on the same data directory, and the
// SQLite file is read directly: every task must be stored as succeeded.
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
    /** "off": the server records no analytics history (bench:analytics compares both). */
    rollups: { type: "string", default: "on" },
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
    env: { SWITCHBOARD_ANALYTICS: values.rollups === "off" ? "off" : "on", SWITCHBOARD_HEARTBEAT_MS: "2000", SWITCHBOARD_LEASE_TTL_MS: "6000", SWITCHBOARD_LOG_LEVEL: process.env.SB_TRACE_CYCLES ? "debug" : "warn" },
    // SB_PROFILE=<dir> writes a CPU profile of the server there.
    nodeArgs: process.env.SB_PROFILE ? ["--cpu-prof", `--cpu-prof-dir=${process.env.SB_PROFILE}`] : [],
  });
  const token = await createToken(server, "bench");
  // Agent tokens do not submit: the bench submits as a script would, with a submit token.
  const submitToken = await createToken(server, "bench-submit", "submit");
  const sentAt = new Float64Array(TASKS);
  const latency: number[] = [];
  // Per task (by its seq): pushes received and completions acknowledged; the id it was given.
  const pushes = new Uint16Array(TASKS);
  const finishes = new Uint16Array(TASKS);
  const idOf: (string | undefined)[] = new Array(TASKS);
  const seqOf = new Map<string, number>();
  const problems: string[] = [];
  let killed = false;
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
        // A warning here is an outcome the server did not take, or a task refused: a finding.
        // (Until the kill: then every agent warns that it lost the server.)
        logger: { info: () => {}, warn: (m) => void (!killed && problems.length < 20 && problems.push(`bench-${i}: ${m}`)) },
        onTask: () => null,
      }),
    ),
  );
  for (const a of agents) {
    // "Receives" is the moment the assignment reaches the agent, before it accepts and runs it.
    a.on("taskAssigned", (task) => {
      const seq = (task.payload as { seq: number }).seq;
      if (pushes[seq]++ === 0) latency.push(performance.now() - sentAt[seq]);
      idOf[seq] ??= task.taskId;
      seqOf.set(task.taskId, seq);
    });
    a.on("taskFinished", (outcome) => {
      const seq = seqOf.get(outcome.taskId);
      if (seq === undefined || outcome.status !== "succeeded") {
        if (problems.length < 20) problems.push(`task ${outcome.taskId} finished ${outcome.status}`);
      } else if (finishes[seq]++ > 0) {
        return; // finished twice: counted below, and must not end the wait early
      }
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
      headers: { "content-type": "application/json", authorization: `Bearer ${submitToken}` },
      body: JSON.stringify({ tasks }),
    });
    if (r.status !== 201) throw new Error(`submit failed: ${r.status} ${await r.text()}`);
  }
  while (done < TASKS) await new Promise<void>((r) => (wake = r));
  const elapsed = (performance.now() - t0) / 1000;
  // Completions are acknowledged only once durable: kill the server now, without warning
  // (SB_PROFILE stops it gracefully instead: a killed process writes no CPU profile).
  const kill = process.env.SB_PROFILE ? "SIGTERM" : "SIGKILL";
  killed = true;
  await server.stop(kill === "SIGKILL");
  await Promise.all(agents.map((a) => a.close({ flushTimeoutMs: 500 })));
  const restartedAt = performance.now();
  const again = await server.restart();
  const restartS = (performance.now() - restartedAt) / 1000;
  // Read while the restarted server runs: its start has rebuilt state from this same file.
  const db = new Database(path.join(server.dataDir, "switchboard.db"), { readonly: true, fileMustExist: true });
  const rows = db.prepare(`SELECT id, status, finishedAt FROM "Task"`).all() as { id: string; status: string; finishedAt: unknown }[];
  db.close();
  await again.stop();

  const stored = new Map(rows.map((r) => [r.id, r]));
  let neverReceived = 0;
  let repushed = 0;
  let finishedTwice = 0;
  let durable = 0;
  for (let seq = 0; seq < TASKS; seq++) {
    if (pushes[seq] === 0) neverReceived++;
    if (pushes[seq] > 1) repushed++;
    if (finishes[seq] > 1) finishedTwice++;
    const row = idOf[seq] ? stored.get(idOf[seq]!) : undefined;
    if (row && row.status === "succeeded" && row.finishedAt != null) durable++;
    else if (problems.length < 20) problems.push(`task ${seq} (${idOf[seq] ?? "never received"}) after the ${kill}: ${row ? `stored as ${row.status}` : "not stored"}`);
  }
  if (process.env.SB_TRACE_CYCLES) {
    const cycles = [...server.output().matchAll(/batch written tasks=(\d+) events=(\d+) agents=(\d+) writeMs=([\d.]+)/g)].map((m) => m.slice(1).map(Number));
    const w = cycles.map((c) => c[3]).sort((a, b) => a - b);
    console.log(`cycles=${cycles.length} write_p50_ms=${percentile(w, 50)} write_p95_ms=${percentile(w, 95)} tasks_per_cycle=${(cycles.reduce((n, c) => n + c[0], 0) / cycles.length).toFixed(1)}`);
  }

  latency.sort((a, b) => a - b);
  console.log(
    `agents=${AGENTS} slots=${SLOTS} tasks=${TASKS} batch=${BATCH} inflight=${INFLIGHT} elapsed_s=${elapsed.toFixed(2)} ` +
      `received_once=${TASKS - neverReceived - repushed} repushed=${repushed} never_received=${neverReceived} finished_twice=${finishedTwice} ` +
      `stored=${rows.length} durable_after_${kill.toLowerCase()}=${durable} restart_s=${restartS.toFixed(2)}`,
  );
  for (const p of problems) console.error(p);
  if (neverReceived || repushed || finishedTwice || durable !== TASKS || rows.length !== TASKS) {
    console.error(`FAILED: every task must reach an agent once, finish once and be stored as succeeded after a ${kill} (${durable} of ${TASKS} were)`);
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
