// npm run bench:startup -- [--tasks 100000] [--rounds 3] [--db DIR]
//
// A restart with a large backlog. Writes --tasks queued (unfinished) tasks into a fresh data
// directory through the store's batch writer, the way the coordinator writes them, then starts
// the real server on it --rounds times. Each round times: process start → listening (the
// server prints it), and start → the first task reaching an SDK agent connected as soon as the
// port answers ("dispatching again"; target ≤ 5 s), with the server's RSS once it dispatches.
// Tasks the agent takes are completed, so every round starts from (almost) the same backlog.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { connectAgent } from "@/agent/sdk";
import { task } from "@/server/store/conformance";
import { openSqliteStore } from "@/server/store/sqlite";
import { createToken, startServerProcess, type ServerHandle } from "@/testing/server-process";

const { values } = parseArgs({
  options: {
    tasks: { type: "string", default: "100000" },
    rounds: { type: "string", default: "3" },
    /** Keep the loaded data directory here and reuse it. */
    db: { type: "string" },
  },
});
const TASKS = Number(values.tasks);
const TARGET_S = 5;

async function load(dir: string) {
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, "switchboard.db");
  if (fs.existsSync(file)) return;
  const store = await openSqliteStore(`file:${file}`);
  const t0 = performance.now();
  const now = Date.now();
  for (let i = 0; i < TASKS; i += 5_000) {
    const tasks = Array.from({ length: Math.min(5_000, TASKS - i) }, (_, k) =>
      task(`st${(i + k).toString(36)}`, { title: `backlog ${i + k}`, requirements: [{ name: "startup", level: 1 }], labelSelector: {}, queuedAt: now - (TASKS - i - k), createdAt: now - (TASKS - i - k), updatedAt: now }),
    );
    await store.batches.write({ tasks, history: [], logs: [], agents: [], samples: [] });
  }
  await store.close();
  console.log(`loaded ${TASKS} queued tasks in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
}

const rssMb = (s: ServerHandle) => {
  const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${s.proc.pid}/status`, "utf8"));
  return m ? Number(m[1]) / 1024 : NaN;
};

async function round(dir: string, token: string | null) {
  const t0 = performance.now();
  const server = await startServerProcess({ dataDir: dir, env: { SWITCHBOARD_LOG_LEVEL: "warn", SWITCHBOARD_RESTART_GRACE_MS: "0" } });
  const listeningS = (performance.now() - t0) / 1000;
  const agentToken = token ?? (await createToken(server, "bench-startup"));
  let first: number | null = null;
  const agent = await connectAgent({
    server: server.url,
    token: agentToken,
    card: { name: `startup-${process.pid}`, slots: 4, capabilities: ["startup"] },
    logger: { info: () => {}, warn: () => {} },
    onTask: () => {
      first ??= performance.now();
      return null;
    },
  });
  while (first === null && performance.now() - t0 < 60_000) await new Promise((r) => setTimeout(r, 5));
  const dispatchS = first === null ? Infinity : (first - t0) / 1000;
  const rss = rssMb(server);
  await agent.close({ flushTimeoutMs: 1_000 });
  await server.stop();
  return { listeningS, dispatchS, rss, token: agentToken };
}

async function main() {
  const dir = values.db ?? fs.mkdtempSync(path.join(os.tmpdir(), "sb-startup-"));
  await load(dir);
  let token: string | null = null;
  const results: Awaited<ReturnType<typeof round>>[] = [];
  for (let i = 0; i < Number(values.rounds); i++) {
    const r = await round(dir, token);
    token = r.token;
    results.push(r);
    console.log(`round ${i + 1}: listening after ${r.listeningS.toFixed(2)} s, first task reached an agent after ${r.dispatchS.toFixed(2)} s, RSS ${r.rss.toFixed(0)} MB`);
  }
  const worst = Math.max(...results.map((r) => r.dispatchS));
  console.log(
    `RESULT bench=startup unfinished=${TASKS} listening_s=${Math.max(...results.map((r) => r.listeningS)).toFixed(2)} dispatching_s=${worst.toFixed(2)} target_s=${TARGET_S} rss_mb=${Math.max(...results.map((r) => r.rss)).toFixed(0)} pass=${worst <= TARGET_S}`,
  );
  if (!values.db) fs.rmSync(dir, { recursive: true, force: true });
  process.exit(0);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
