// npm run bench:dispatch -- [--agents 50] [--tasks 10000] [--slots 4] [--batch 50] [--inflight N] [--rollups on|off] [--db sqlite|postgres]
// npm run bench:dispatch -- --rate R [--duration 10] [--connections 64] [--agents 50] [--slots 4] [--rollups on|off]
//
// Starts the real server (its own temp data dir, 127.0.0.1), connects N SDK agents over
// Socket.IO, submits no-op tasks over HTTP and waits until every one has succeeded. Latency is
// submit (request sent) → the agent's handler receives the task; each task counts once: a
// repeated push of an assignment the agent already has adds no sample and is reported (every
// task must reach an agent exactly once and finish exactly once).
//
// Two shapes (bench/dispatch-rig.ts has both, and bench:peer drives BullMQ with the same code):
// - burst (default): M tasks in batches, closed loop: at most --inflight tasks (default: all
//   agent slots) are submitted but not yet finished, so a task never waits for a slot and the
//   latency measures the dispatch path rather than a backlog the bench itself created.
// - paced (--rate R): one task per HTTP request, R requests per second for --duration seconds,
//   open loop: each request is sent at its time on a schedule fixed from the start, however
//   slow the answers, over a pool of --connections keep-alive connections (a request that
//   finds them all busy waits in the client). Latency runs from that scheduled time.
//   Sustained rate = tasks received by agents inside the window / the window. The server's rate
//   limits are raised for this shape (one token sending R requests a second is the point).
//   A request the server refuses on purpose (503: shedding load when its event loop lags, or
//   its queue is full) is counted as `refused`, not retried, and not expected afterwards; the
//   shedding is the server's default (SWITCHBOARD_OVERLOAD_LAG_MS=0 in the environment turns
//   it off, to see what the server does with the whole load).
//
// Durability: the moment the last completion is acknowledged the server is SIGKILLed (no
// graceful stop, no chance to flush), started again on the same data directory, and the
// store is read directly (the SQLite file, or the PostgreSQL database): every task must be
// stored as succeeded.
//
// --db postgres runs the server on a PostgreSQL 15 of its own (testing/postgres.ts: a temp
// directory, 127.0.0.1, stopped at the end), durable as the SQLite store is (fsync on,
// synchronous_commit off: see PostgresOptions), so the two RESULT lines compare the stores.
import { parseArgs } from "node:util";
import { cpuLine, ms, pacedLine, switchboardBurst, switchboardPaced, traceCycles, type ShapeResult } from "./dispatch-rig";
import { startPostgres, type PostgresHandle } from "@/testing/postgres";

const { values } = parseArgs({
  options: {
    agents: { type: "string", default: "50" },
    tasks: { type: "string", default: "10000" },
    slots: { type: "string", default: "4" },
    batch: { type: "string", default: "50" },
    inflight: { type: "string" },
    /** Paced mode: one task per request, this many requests per second. */
    rate: { type: "string" },
    duration: { type: "string", default: "10" },
    connections: { type: "string", default: "64" },
    /** "off": the server records no analytics history (bench:analytics compares both). */
    rollups: { type: "string", default: "on" },
    /** The store: "sqlite" (default, a file in the server's data directory) or "postgres" (a PostgreSQL of its own). */
    db: { type: "string", default: "sqlite" },
  },
});
if (values.db !== "sqlite" && values.db !== "postgres") throw new Error(`--db must be sqlite or postgres, not ${values.db}`);
const AGENTS = Number(values.agents);
const SLOTS = Number(values.slots);
const env: Record<string, string> = { SWITCHBOARD_ANALYTICS: values.rollups === "off" ? "off" : "on" };
let postgres: PostgresHandle | undefined;

function report(r: ShapeResult) {
  for (const p of r.problems) console.error(p);
  if (!r.ok) {
    console.error(`FAILED: every task must reach an agent once, finish once and be stored as succeeded after the kill (${r.check})`);
    process.exitCode = 1;
  }
}

async function burst() {
  const TASKS = Number(values.tasks);
  const BATCH = Number(values.batch);
  const INFLIGHT = Number(values.inflight ?? AGENTS * SLOTS);
  const r = await switchboardBurst({ agents: AGENTS, slots: SLOTS, tasks: TASKS, batch: BATCH, inflight: INFLIGHT, env });
  if (process.env.SB_TRACE_CYCLES) console.log(traceCycles(r.rig.server));
  console.log(`agents=${AGENTS} slots=${SLOTS} tasks=${TASKS} batch=${BATCH} inflight=${INFLIGHT} elapsed_s=${r.elapsedS!.toFixed(2)} ${r.check}`);
  report(r);
  // bench:analytics parses "RESULT tasks_per_s=": the shape goes last.
  console.log(`RESULT tasks_per_s=${Math.round(r.perS)} p50_ms=${ms(r.latency.p50)} p95_ms=${ms(r.latency.p95)} p99_ms=${ms(r.latency.p99)} db=${values.db} shape=burst`);
}

async function paced() {
  const RATE = Number(values.rate);
  const DURATION = Number(values.duration);
  if (!(RATE > 0) || !(DURATION > 0)) throw new Error("--rate and --duration must be positive numbers");
  const r = await switchboardPaced({ agents: AGENTS, slots: SLOTS, rate: RATE, durationS: DURATION, connections: Number(values.connections), env });
  const p = r.paced!;
  if (process.env.SB_TRACE_CYCLES) console.log(traceCycles(r.rig.server));
  console.log(`agents=${AGENTS} slots=${SLOTS} rate=${RATE} duration_s=${DURATION} tasks=${p.sent} ${pacedLine(p)} max_ms=${ms(p.latency.max)} ${cpuLine(r.cpu)}`);
  console.log(r.check);
  report(r);
  console.log(`RESULT db=${values.db} shape=paced rate=${RATE} sustained_per_s=${Math.round(p.sustainedPerS)} p50_ms=${ms(p.latency.p50)} p95_ms=${ms(p.latency.p95)} p99_ms=${ms(p.latency.p99)} max_ms=${ms(p.latency.max)} offered_per_s=${Math.round(p.offeredPerS)} refused=${p.refused}`);
}

async function main() {
  if (values.db === "postgres") {
    postgres = await startPostgres({ durability: "sqlite-equivalent" });
    env.DATABASE_URL = await postgres.createDatabase("bench");
  }
  try {
    await (values.rate ? paced() : burst());
  } finally {
    await postgres?.stop();
  }
}

main()
  .then(() => process.exit())
  .catch((e) => {
    console.error(e);
    process.exit(1);
  });
