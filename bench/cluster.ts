// npm run bench:cluster -- [--replicas 2] [--agents 50] [--tasks 10000] [--slots 4] [--batch 50]
//
// Replicas against one replica, side by side in one run, on one PostgreSQL 15 of the bench's own
// (durable as the SQLite store: see PostgresOptions), each shape on a fresh database: the burst
// of bench:dispatch (no-op tasks in batches, closed loop) first against one server, then against
// --replicas servers — the first leads, the others follow and forward — with the agents and the
// submissions spread over all of them, as a balancer spreads them. Same durability check both
// times (the leader SIGKILLed at the end, every task read back as succeeded).
import { parseArgs } from "node:util";
import { ms, switchboardBurst, type ShapeResult } from "./dispatch-rig";
import { startPostgres } from "@/testing/postgres";

const { values } = parseArgs({
  options: {
    replicas: { type: "string", default: "2" },
    agents: { type: "string", default: "50" },
    tasks: { type: "string", default: "10000" },
    slots: { type: "string", default: "4" },
    batch: { type: "string", default: "50" },
  },
});
const REPLICAS = Number(values.replicas);
if (!Number.isInteger(REPLICAS) || REPLICAS < 2) throw new Error("--replicas must be a whole number of at least 2");
const shape = { agents: Number(values.agents), slots: Number(values.slots), tasks: Number(values.tasks), batch: Number(values.batch), inflight: Number(values.agents) * Number(values.slots) };

function line(label: string, r: ShapeResult) {
  for (const p of r.problems) console.error(p);
  if (!r.ok) {
    console.error(`FAILED (${label}): every task must reach an agent once, finish once and be stored as succeeded (${r.check})`);
    process.exitCode = 1;
  }
  console.log(`${label}: tasks_per_s=${Math.round(r.perS)} p50_ms=${ms(r.latency.p50)} p95_ms=${ms(r.latency.p95)} p99_ms=${ms(r.latency.p99)} ${r.check}`);
}

async function main() {
  const pg = await startPostgres({ durability: "sqlite-equivalent" });
  try {
    const one = await switchboardBurst({ ...shape, env: { DATABASE_URL: await pg.createDatabase("one"), SWITCHBOARD_ANALYTICS: "on" } });
    line("one replica", one);
    const many = await switchboardBurst({ ...shape, replicas: REPLICAS, env: { DATABASE_URL: await pg.createDatabase("many"), SWITCHBOARD_ANALYTICS: "on" } });
    line(`${REPLICAS} replicas`, many);
    console.log(
      `RESULT replicas=${REPLICAS} tasks_per_s=${Math.round(many.perS)} p50_ms=${ms(many.latency.p50)} p95_ms=${ms(many.latency.p95)} p99_ms=${ms(many.latency.p99)} one_tasks_per_s=${Math.round(one.perS)} one_p95_ms=${ms(one.latency.p95)} ratio=${(many.perS / one.perS).toFixed(2)}`,
    );
  } finally {
    await pg.stop();
  }
}

main()
  .then(() => process.exit())
  .catch((e) => {
    console.error(e);
    process.exit(1);
  });
