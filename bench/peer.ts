// npm run bench:peer -- [--only burst|paced] [--tasks 10000] [--rates 500,2000] [--duration 10]
//                       [--agents 50] [--slots 4] [--workers 50] [--concurrency 4] [--batch 50] [--inflight 200]
//                       [--connections 64]
//
// Switchboard next to BullMQ (a Redis-backed job queue, the closest well-known peer) on the
// same shapes, in one run, with the same driver code (bench/dispatch-rig.ts):
// - burst: --tasks no-op tasks in batches of --batch (one POST {tasks} / one queue.addBulk),
//   closed loop with at most --inflight unfinished. Throughput = finished / elapsed.
// - paced, at each of --rates for --duration s: one task per HTTP request / one job per
//   queue.add call, open loop on a fixed schedule (HTTP over --connections keep-alive
//   connections; BullMQ's adds share its Queue's one Redis connection, pipelined).
//   Sustained = received inside the window / s. A request Switchboard refuses on purpose (503:
//   it sheds load when its event loop lags) is counted as refused, not retried.
// Latency: submit (the scheduled time, for paced) → the agent's taskAssigned / the Worker's
// processor starting.
//
// Switchboard: the real server + --agents SDK agents × --slots (as bench:dispatch). BullMQ: a
// real redis-server (bench/bullmq-rig.ts) + --workers Workers × --concurrency in this process,
// each Worker with its own connections (its client and its blocking one): 50 × 4 mirrors the 50
// agents × 4 slots. (BullMQ's docs describe both a concurrency factor per Worker and several
// Workers, and recommend several Workers — across processes — for availability. In one process
// here, 1 Worker × 200 did 3,093 jobs/s in a burst against 4,764–6,387 for 50 × 4.)
//
// Order: per shape Switchboard first, then BullMQ, never both at once; each run starts its own
// server or redis on a fresh directory and ends with its own SIGKILL durability check.
// Durability: Switchboard acknowledges a completion after its SQLite commit (WAL,
// synchronous=NORMAL); BullMQ's Redis runs with AOF appendfsync=everysec. Both survive the
// process being killed, neither fsyncs per acknowledgement (see bench/bullmq-rig.ts).
import { parseArgs } from "node:util";
import { cpuLine, machineLine, ms, pacedLine, switchboardBurst, switchboardPaced, type ShapeResult } from "./dispatch-rig";
import { REDIS_DURABILITY, bullmqBurst, bullmqPaced, chooseRedisDriver } from "./bullmq-rig";

const { values } = parseArgs({
  options: {
    only: { type: "string" },
    tasks: { type: "string", default: "10000" },
    rates: { type: "string", default: "500,2000" },
    duration: { type: "string", default: "10" },
    agents: { type: "string", default: "50" },
    slots: { type: "string", default: "4" },
    workers: { type: "string", default: "50" },
    concurrency: { type: "string", default: "4" },
    batch: { type: "string", default: "50" },
    inflight: { type: "string", default: "200" },
    connections: { type: "string", default: "64" },
  },
});
if (values.only && values.only !== "burst" && values.only !== "paced") throw new Error("--only takes burst or paced");
const sb = { agents: Number(values.agents), slots: Number(values.slots), connections: Number(values.connections) };
const bq = { workers: Number(values.workers), concurrency: Number(values.concurrency) };
const burstOpts = { tasks: Number(values.tasks), batch: Number(values.batch), inflight: Number(values.inflight) };
const RATES = values.rates!.split(",").map(Number);
const DURATION = Number(values.duration);

const ratio = (a: number, b: number) => (b > 0 ? (a / b).toFixed(2) : "n/a");
let failed = false;

function show(system: string, r: ShapeResult) {
  const l = r.latency;
  const head = r.paced ? pacedLine(r.paced) : `elapsed_s=${r.elapsedS!.toFixed(2)} per_s=${r.perS.toFixed(0)}`;
  console.log(`  ${system.padEnd(11)} ${head} p50_ms=${ms(l.p50)} p95_ms=${ms(l.p95)} p99_ms=${ms(l.p99)} max_ms=${ms(l.max)} ${cpuLine(r.cpu)}`);
  console.log(`  ${"".padEnd(11)} ${r.check}${r.ok ? "" : " FAILED"}`);
  for (const p of r.problems) console.error(`  ${system}: ${p}`);
  if (!r.ok) failed = true;
}

async function main() {
  const driver = chooseRedisDriver();
  console.log(machineLine());
  console.log(`switchboard: ${sb.agents} SDK agents × ${sb.slots} slots, one-task requests over ${sb.connections} keep-alive connections; SQLite WAL synchronous=NORMAL, completion acknowledged after the commit`);
  console.log(`bullmq:      ${bq.workers} Workers × concurrency ${bq.concurrency}, driver ${driver}; ${REDIS_DURABILITY}`);
  console.log(`order: per shape Switchboard first, then BullMQ; never at the same time. cpu_*_pct = % of one core (2 cores = 200).`);

  if (values.only !== "paced") {
    console.log(`burst: ${burstOpts.tasks} tasks, batches of ${burstOpts.batch}, at most ${burstOpts.inflight} unfinished`);
    const s = await switchboardBurst({ ...sb, ...burstOpts });
    show("switchboard", s);
    const b = await bullmqBurst({ ...bq, ...burstOpts });
    show("bullmq", b);
    console.log(
      `RESULT bench=peer shape=burst sb_per_s=${Math.round(s.perS)} bullmq_per_s=${Math.round(b.perS)} ratio=${ratio(s.perS, b.perS)} ` +
        `sb_p99_ms=${ms(s.latency.p99)} bullmq_p99_ms=${ms(b.latency.p99)}`,
    );
  }
  if (values.only !== "burst") {
    for (const rate of RATES) {
      console.log(`paced: ${rate}/s for ${DURATION} s, one task per request / one job per add`);
      const s = await switchboardPaced({ ...sb, rate, durationS: DURATION });
      show("switchboard", s);
      const b = await bullmqPaced({ ...bq, rate, durationS: DURATION });
      show("bullmq", b);
      console.log(
        `RESULT bench=peer shape=paced rate=${rate} sb_sustained_per_s=${Math.round(s.perS)} bullmq_sustained_per_s=${Math.round(b.perS)} ratio=${ratio(s.perS, b.perS)} ` +
          `sb_p99_ms=${ms(s.latency.p99)} bullmq_p99_ms=${ms(b.latency.p99)} sb_refused=${s.paced!.refused}`,
      );
    }
  }
  if (failed) {
    console.error("FAILED: every task must reach a handler once, finish once and be stored as succeeded after the kill");
    process.exitCode = 1;
  }
}

main()
  .then(() => process.exit())
  .catch((e) => {
    console.error(e);
    process.exit(1);
  });
