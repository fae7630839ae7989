// npm run bench:overload -- [--factor 4] [--seconds 30] [--agents 20] [--slots 10] [--calibrate-s 6] [--concurrency 32] [--shedding on|off]
//
// Backpressure on the real server. First it measures what the server sustains: single-task
// submissions over HTTP, `--concurrency` in flight (closed loop) for `--calibrate-s`, while
// no-op SDK agents take every task. Then it offers `--factor` × that rate, open loop (on a
// fixed schedule, whatever the answers), for `--seconds`: the server must shed the excess
// with 503/429 and Retry-After, keep accepted submissions fast (p99 ≤ 100 ms), keep its
// memory bounded (RSS sampled every second), and lose nothing it acknowledged — after the
// run the server is SIGKILLed and every accepted task must be in the SQLite file. The load
// generator runs in a worker thread; `--shedding off` runs the same with shedding disabled
// (SWITCHBOARD_OVERLOAD_LAG_MS=0), for the before/after.
import Database from "better-sqlite3";
import fs from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { Worker } from "node:worker_threads";
import { connectAgent, type Agent } from "@/agent/sdk";
import { createToken, startServerProcess, type ServerHandle } from "@/testing/server-process";

const { values } = parseArgs({
  options: {
    factor: { type: "string", default: "4" },
    seconds: { type: "string", default: "30" },
    agents: { type: "string", default: "20" },
    slots: { type: "string", default: "10" },
    "calibrate-s": { type: "string", default: "6" },
    concurrency: { type: "string", default: "32" },
    shedding: { type: "string", default: "on" },
  },
});
const FACTOR = Number(values.factor);
const SECONDS = Number(values.seconds);
const TARGET_P99_MS = 100;

export interface GeneratorInput {
  url: string;
  token: string;
  mode: "closed" | "open";
  seconds: number;
  /** open: requests per second. */
  rate?: number;
  /** closed: requests in flight. */
  concurrency?: number;
  /** Task titles are `${label} ${n}`. */
  label: string;
}

export interface GeneratorOutput {
  sent: number;
  /** Per answer: status (0: the connection failed). */
  statuses: Record<string, number>;
  /** Latency (ms) of accepted submissions, and of refusals. */
  acceptedMs: number[];
  refusedMs: number[];
  acceptedIds: string[];
  retryAfter: Record<string, number>;
  elapsedS: number;
  /** Sends that left later than scheduled by more than 50 ms: the generator itself fell behind. */
  lateSends: number;
}

const pct = (xs: number[], p: number) => {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};

function generate(input: GeneratorInput): Promise<GeneratorOutput> {
  return new Promise((resolve, reject) => {
    const w = new Worker(new URL("./overload-generator.mjs", import.meta.url), { workerData: input });
    w.once("message", (m: GeneratorOutput) => {
      resolve(m);
      void w.terminate();
    });
    w.once("error", reject);
  });
}

/** The server's resident memory (MB), read from /proc. */
function rssMb(server: ServerHandle): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${server.proc.pid}/status`, "utf8"));
    return m ? Number(m[1]) / 1024 : NaN;
  } catch {
    return NaN;
  }
}

async function main() {
  const server = await startServerProcess({
    env: {
      // SB_LOG_LEVEL=debug prints the shedding decisions (the server's log lines) after the run.
      SWITCHBOARD_LOG_LEVEL: process.env.SB_LOG_LEVEL ?? "warn",
      // The per-caller limits are not what is measured: one bench token offers the whole load.
      SWITCHBOARD_RATE_LIMIT: "1000000/1000000",
      SWITCHBOARD_IP_RATE_LIMIT: "1000000/1000000",
      SWITCHBOARD_OVERLOAD_LAG_MS: values.shedding === "off" ? "0" : "50",
    },
  });
  const agentToken = await createToken(server, "bench-agents");
  const submitToken = await createToken(server, "bench-submit", "submit");
  let finished = 0;
  const agents: Agent[] = await Promise.all(
    Array.from({ length: Number(values.agents) }, (_, i) =>
      connectAgent({
        server: server.url,
        token: agentToken,
        card: { name: `overload-${i}`, slots: Number(values.slots), capabilities: ["noop"] },
        logger: { info: () => {}, warn: () => {} },
        onTask: () => null,
      }).then((a) => (a.on("taskFinished", () => void finished++), a)),
    ),
  );

  // 1. What the server sustains.
  const cal = await generate({ url: server.url, token: submitToken, mode: "closed", concurrency: Number(values.concurrency), seconds: Number(values["calibrate-s"]), label: "calibrate" });
  const sustainable = cal.acceptedIds.length / cal.elapsedS;
  console.log(`calibration: ${Math.round(sustainable)} submissions/s sustained (closed loop, ${values.concurrency} in flight), p50 ${pct(cal.acceptedMs, 50).toFixed(1)} ms, p99 ${pct(cal.acceptedMs, 99).toFixed(1)} ms, statuses ${JSON.stringify(cal.statuses)}`);

  // 2. Four times that, open loop, with the server's memory sampled.
  const rss: number[] = [rssMb(server)];
  const sampler = setInterval(() => rss.push(rssMb(server)), 1000);
  const offered = Math.round(sustainable * FACTOR);
  const run = await generate({ url: server.url, token: submitToken, mode: "open", rate: offered, seconds: SECONDS, label: "overload" });
  clearInterval(sampler);
  rss.push(rssMb(server));

  // 3. Nothing acknowledged is lost: let the agents finish, SIGKILL, read the file.
  const accepted = [...cal.acceptedIds, ...run.acceptedIds];
  const deadline = Date.now() + 60_000;
  while (finished < accepted.length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  const sheddingLog = server.output().split("\n").filter((l) => /shedding|overloaded/.test(l));
  await server.stop(true);
  if (process.env.SB_LOG_LEVEL) for (const l of sheddingLog.slice(0, 400)) console.log(`  server: ${l}`);
  console.log(`  shedding episodes: ${sheddingLog.filter((l) => /overloaded: shedding/.test(l)).length}`);
  await Promise.all(agents.map((a) => a.close({ flushTimeoutMs: 200 })));
  const db = new Database(path.join(server.dataDir, "switchboard.db"), { readonly: true, fileMustExist: true });
  const stored = new Set((db.prepare(`SELECT id FROM "Task"`).all() as { id: string }[]).map((r) => r.id));
  db.close();
  const lost = accepted.filter((id) => !stored.has(id)).length;

  const shed = run.refusedMs.length;
  const answered = run.acceptedMs.length + shed;
  const otherErrors = Object.entries(run.statuses)
    .filter(([s]) => !["201", "429", "503"].includes(s))
    .reduce((n, [, c]) => n + c, 0);
  const acceptedP99 = pct(run.acceptedMs, 99);
  console.log(
    `overload: offered ${offered}/s for ${SECONDS} s (${run.sent} sent, ${run.lateSends} sent late by the generator), answered ${answered}: ` +
      `${run.acceptedMs.length} accepted (${Math.round(run.acceptedMs.length / run.elapsedS)}/s), ${shed} refused; statuses ${JSON.stringify(run.statuses)}; Retry-After ${JSON.stringify(run.retryAfter)}`,
  );
  console.log(`  accepted latency p50 ${pct(run.acceptedMs, 50).toFixed(1)} ms, p99 ${acceptedP99.toFixed(1)} ms, max ${pct(run.acceptedMs, 100).toFixed(0)} ms; refusals p50 ${pct(run.refusedMs, 50).toFixed(1)} ms, p99 ${pct(run.refusedMs, 99).toFixed(1)} ms`);
  console.log(`  server RSS: start ${rss[0].toFixed(0)} MB, max ${Math.max(...rss).toFixed(0)} MB, end ${rss[rss.length - 1].toFixed(0)} MB; finished by agents ${finished} of ${accepted.length}; stored after SIGKILL: lost ${lost}`);
  const pass = lost === 0 && otherErrors === 0 && acceptedP99 <= TARGET_P99_MS;
  console.log(
    `RESULT bench=overload shedding=${values.shedding} sustainable_per_s=${Math.round(sustainable)} offered_per_s=${offered} accepted_per_s=${Math.round(run.acceptedMs.length / run.elapsedS)} ` +
      `shed_pct=${((100 * shed) / Math.max(1, answered)).toFixed(1)} accepted_p99_ms=${acceptedP99.toFixed(1)} target_p99_ms=${TARGET_P99_MS} rss_max_mb=${Math.max(...rss).toFixed(0)} lost=${lost} other_errors=${otherErrors} pass=${pass}`,
  );
  process.exit(0);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
