// npm run bench:messaging -- [--messages 5000] [--window 128] [--warmup 5000] [--api-only]
//
// The same K messages two ways, on this machine, in one run:
// - through Switchboard: a sender SDK agent sends to a receiver SDK agent (each send awaits
//   its durable ack; up to --window in flight); latency = send call → the receiver's handler;
//   --warmup messages (default 5000) go first and are not counted, so the figures are of
//   JIT-compiled code, as in a server that has been up for more than a second;
// - the legacy way: `tmux send-keys` of each message into a pane whose shell reads lines into
//   a file, read back until all arrived.
// Debugging: SB_PROFILE=<dir> (server CPU profile), SB_TRACE_CYCLES=1 (server batch log to
// $TMPDIR/bench-messaging-server.log), SB_TRACE_LATENCY=<file> ("index sentAt latency" lines).
// Ends with RESULT api_msgs_per_s=… tmux_msgs_per_s=… ratio=… api_p50_ms=… api_p99_ms=… lost=…
import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { connectAgent } from "@/agent/sdk";
import { createToken, startServerProcess } from "@/testing/server-process";

const { values } = parseArgs({ options: { messages: { type: "string", default: "5000" }, window: { type: "string", default: "128" }, warmup: { type: "string", default: "5000" }, "api-only": { type: "boolean", default: false } } });
const K = Number(values.messages);
const WINDOW = Number(values.window);
const WARMUP = Number(values.warmup);
const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

async function viaSwitchboard() {
  const server = await startServerProcess({ nodeArgs: process.env.SB_PROFILE ? ["--cpu-prof", `--cpu-prof-dir=${process.env.SB_PROFILE}`] : [], env: { SWITCHBOARD_HEARTBEAT_MS: "2000", SWITCHBOARD_LEASE_TTL_MS: "6000", SWITCHBOARD_LOG_LEVEL: process.env.SB_TRACE_CYCLES ? "debug" : "warn" } });
  const token = await createToken(server, "bench");
  const sentAt = new Float64Array(WARMUP + K);
  const got = new Set<number>();
  const latency: number[] = [];
  const trace: string[] = [];
  let allIn: () => void = () => {};
  const done = new Promise<void>((r) => (allIn = r));
  let warmed = 0;
  let warmedUp: () => void = () => {};
  const warm = new Promise<void>((r) => (warmedUp = r));
  const quiet = { info: () => {}, warn: () => {} };
  const receiver = await connectAgent({
    server: server.url,
    token,
    card: { name: "bench-receiver" },
    logger: quiet,
    onTask: () => null,
    onMessage: (m) => {
      const i = Number(m.body);
      if (i < WARMUP) return void (++warmed === WARMUP && warmedUp());
      if (!got.has(i)) {
        got.add(i);
        latency.push(performance.now() - sentAt[i]);
        if (process.env.SB_TRACE_LATENCY) trace.push(`${i} ${(sentAt[i]).toFixed(2)} ${(performance.now() - sentAt[i]).toFixed(2)}`);
      }
      if (got.size === K) allIn();
    },
  });
  const sender = await connectAgent({ server: server.url, token, card: { name: "bench-sender" }, logger: quiet, onTask: () => null });
  // Messages [from, to) with up to WINDOW sends awaiting their ack at any time.
  let next = 0;
  const sendRange = async (from: number, to: number) => {
    next = from;
    const lane = async () => {
      while (next < to) {
        const i = next++;
        sentAt[i] = performance.now();
        await sender.send({ to: { agent: "bench-receiver" }, body: String(i) });
      }
    };
    await Promise.all(Array.from({ length: WINDOW }, lane));
  };
  // Warm-up, not counted: the server's and the SDK's code paths get compiled by the JIT.
  if (WARMUP > 0) {
    await sendRange(0, WARMUP);
    await warm;
  }
  const t0 = performance.now();
  await sendRange(WARMUP, WARMUP + K);
  await Promise.race([done, new Promise((r) => setTimeout(r, 30_000))]);
  const seconds = (performance.now() - t0) / 1000;
  await sender.close();
  await receiver.close();
  if (process.env.SB_TRACE_LATENCY) fs.writeFileSync(process.env.SB_TRACE_LATENCY, trace.join("\n"));
  if (process.env.SB_TRACE_CYCLES) fs.writeFileSync(path.join(os.tmpdir(), "bench-messaging-server.log"), server.output());
  await server.stop();
  latency.sort((a, b) => a - b);
  return { perSecond: K / seconds, p50: pct(latency, 50), p99: pct(latency, 99), lost: K - got.size };
}

function viaTmux() {
  const sock = `sbbench${process.pid}`;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sb-tmux-"));
  const out = path.join(dir, "received.txt");
  const tmux = (...args: string[]) => execFileSync("tmux", ["-L", sock, ...args]);
  tmux("new-session", "-d", "-s", "bench", "-x", "200", "-y", "50", `sh -c 'while IFS= read -r l; do echo "$l" >> ${out}; done'`);
  try {
    const t0 = performance.now();
    for (let i = 0; i < K; i++) spawnSync("tmux", ["-L", sock, "send-keys", "-t", "bench", `msg ${i}`, "Enter"]);
    const deadline = Date.now() + 30_000;
    let lines = 0;
    while (Date.now() < deadline) {
      lines = fs.existsSync(out) ? fs.readFileSync(out, "utf8").split("\n").filter(Boolean).length : 0;
      if (lines >= K) break;
      spawnSync("sleep", ["0.05"]);
    }
    const seconds = (performance.now() - t0) / 1000;
    return { perSecond: lines / seconds, lost: K - lines };
  } finally {
    try {
      tmux("kill-server");
    } catch {
      /* already gone */
    }
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function main() {
  const api = await viaSwitchboard();
  // --api-only: for profiling the Switchboard side alone (no ratio).
  const legacy = values["api-only"] ? { perSecond: Number.NaN, lost: 0 } : viaTmux();
  console.log(`messages=${K} window=${WINDOW} warmup=${WARMUP} api_lost=${api.lost} tmux_lost=${legacy.lost}`);
  console.log(
    `RESULT api_msgs_per_s=${Math.round(api.perSecond)} tmux_msgs_per_s=${Math.round(legacy.perSecond)} ratio=${(api.perSecond / legacy.perSecond).toFixed(1)} api_p50_ms=${api.p50.toFixed(1)} api_p99_ms=${api.p99.toFixed(1)} lost=${api.lost}`,
  );
  process.exit(api.lost === 0 ? 0 : 1);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
