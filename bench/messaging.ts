// npm run bench:messaging -- [--messages 5000] [--window 128] [--warmup 5000] [--api-only]
//
// The same K messages three ways, on this machine, in one run:
// - through Switchboard: a sender SDK agent sends to a receiver SDK agent (each send awaits
//   its durable ack; up to --window in flight); latency = send call → the receiver's handler;
//   --warmup messages (default 5000) go first and are not counted, so the figures are of
//   JIT-compiled code, as in a server that has been up for more than a second;
// - the strongest legacy way, the baseline of the ratio: one persistent tmux control-mode client
//   (`tmux -C`) types each message into a pane with `send-keys` (up to --window in flight) and
//   reads the pane's output back from its `%output` notifications, where the pane's shell
//   answers each line; latency = command written → the answer seen. No process per message,
//   so the ratio measures Switchboard, not process start-up;
// - the naive legacy way, for reference: one `tmux send-keys` process per message into a pane
//   whose shell appends each line to a file, read back until all arrived.
// Each way that times out (30 s) is divided by what was received, not by what was sent.
// Debugging: SB_PROFILE=<dir> (server CPU profile), SB_TRACE_CYCLES=1 (server batch log to
// $TMPDIR/bench-messaging-server.log), SB_TRACE_LATENCY=<file> ("index sentAt latency" lines).
// Ends with RESULT api_msgs_per_s=… tmux_cc_msgs_per_s=… tmux_spawn_msgs_per_s=… ratio=…
// ratio_spawn=… api_p50_ms=… api_p99_ms=… tmux_cc_p50_ms=… tmux_cc_p99_ms=… lost=…
// (ratio = Switchboard / tmux control mode; lost = Switchboard's).
import { execFileSync, spawn, spawnSync } from "node:child_process";
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
const TIMEOUT_MS = 30_000;
const pct = (sorted: number[], p: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] : Number.NaN);
const timeout = (ms: number) => new Promise<"timeout">((r) => setTimeout(() => r("timeout"), ms).unref());

async function viaSwitchboard() {
  const server = await startServerProcess({ nodeArgs: process.env.SB_PROFILE ? ["--cpu-prof", `--cpu-prof-dir=${process.env.SB_PROFILE}`] : [], env: { SWITCHBOARD_HEARTBEAT_MS: "2000", SWITCHBOARD_LEASE_TTL_MS: "6000", SWITCHBOARD_LOG_LEVEL: process.env.SB_TRACE_CYCLES ? "debug" : "warn" } });
  const token = await createToken(server, "bench");
  const sentAt = new Float64Array(WARMUP + K);
  const got = new Set<number>();
  const latency: number[] = [];
  const trace: string[] = [];
  let allIn: () => void = () => {};
  const done = new Promise<void>((r) => (allIn = r));
  const warmed = new Set<number>();
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
      if (i < WARMUP) {
        warmed.add(i);
        if (warmed.size === WARMUP) warmedUp();
        return;
      }
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
    if ((await Promise.race([warm, timeout(TIMEOUT_MS)])) === "timeout") console.error(`warm-up: only ${warmed.size} of ${WARMUP} messages arrived within ${TIMEOUT_MS / 1000} s`);
  }
  const t0 = performance.now();
  await sendRange(WARMUP, WARMUP + K);
  await Promise.race([done, timeout(TIMEOUT_MS)]);
  const seconds = (performance.now() - t0) / 1000;
  await sender.close();
  await receiver.close();
  if (process.env.SB_TRACE_LATENCY) fs.writeFileSync(process.env.SB_TRACE_LATENCY, trace.join("\n"));
  if (process.env.SB_TRACE_CYCLES) fs.writeFileSync(path.join(os.tmpdir(), "bench-messaging-server.log"), server.output());
  await server.stop();
  latency.sort((a, b) => a - b);
  // What arrived in the time taken, not what was sent: a run that timed out is not flattered.
  return { perSecond: got.size / seconds, p50: pct(latency, 50), p99: pct(latency, 99), lost: K - got.size, warmupLost: WARMUP - warmed.size };
}

/** The control-mode pane: no echo of typed keys, one answer line per line read. */
const PANE_ANSWERS = `sh -c 'stty -echo; while IFS= read -r l; do printf "got %s\\n" "$l"; done'`;

/** tmux escapes bytes below 32 and the backslash in %output as \ooo. */
const unescapeOutput = (s: string) => s.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8)));

async function viaTmuxControl() {
  const sock = `sbbenchcc${process.pid}`;
  execFileSync("tmux", ["-L", sock, "-f", "/dev/null", "new-session", "-d", "-s", "bench", "-x", "200", "-y", "50", PANE_ANSWERS]);
  const cc = spawn("tmux", ["-L", sock, "-C", "attach-session", "-t", "bench"], { stdio: ["pipe", "pipe", "pipe"] });
  const sentAt = new Float64Array(K);
  const got = new Set<number>();
  const latency: number[] = [];
  const errors: string[] = [];
  let attached!: () => void;
  const isAttached = new Promise<void>((r) => (attached = r));
  let ready!: () => void;
  const isReady = new Promise<void>((r) => (ready = r));
  let allIn!: () => void;
  const done = new Promise<void>((r) => (allIn = r));
  let next = 0;
  const sendNext = () => {
    if (next >= K) return;
    const i = next++;
    sentAt[i] = performance.now();
    cc.stdin.write(`send-keys -t bench 'msg ${i}' Enter\n`);
  };
  let out = "";
  let pane = "";
  cc.stdout.setEncoding("utf8");
  cc.stdout.on("data", (chunk: string) => {
    out += chunk;
    let nl;
    while ((nl = out.indexOf("\n")) >= 0) {
      const line = out.slice(0, nl);
      out = out.slice(nl + 1);
      if (line.startsWith("%session-changed")) attached();
      else if (line.startsWith("%error") && errors.length < 5) errors.push(line);
      else if (line.startsWith("%output ")) {
        pane += unescapeOutput(line.slice(line.indexOf(" ", 8) + 1));
        let eol;
        while ((eol = pane.indexOf("\n")) >= 0) {
          const answer = pane.slice(0, eol).replace(/\r$/, "");
          pane = pane.slice(eol + 1);
          if (answer === "got ready") ready();
          const m = /^got msg (\d+)$/.exec(answer);
          if (!m) continue;
          const i = Number(m[1]);
          if (got.has(i)) continue;
          got.add(i);
          latency.push(performance.now() - sentAt[i]);
          if (got.size === K) allIn();
          sendNext(); // the window: one answer in, one more message out
        }
      }
    }
  });
  try {
    // Output reaches a control client only once it is attached, and the pane's shell must be reading.
    if ((await Promise.race([isAttached, timeout(10_000)])) === "timeout") throw new Error("tmux -C did not attach within 10 s");
    cc.stdin.write("send-keys -t bench 'ready' Enter\n");
    if ((await Promise.race([isReady, timeout(10_000)])) === "timeout") throw new Error(`the pane did not answer within 10 s ${errors.join(" ")}`);
    const t0 = performance.now();
    for (let k = 0; k < WINDOW; k++) sendNext();
    await Promise.race([done, timeout(TIMEOUT_MS)]);
    const seconds = (performance.now() - t0) / 1000;
    for (const e of errors) console.error(`tmux -C: ${e}`);
    latency.sort((a, b) => a - b);
    return { perSecond: got.size / seconds, p50: pct(latency, 50), p99: pct(latency, 99), lost: K - got.size };
  } finally {
    cc.stdin.end();
    cc.kill();
    try {
      execFileSync("tmux", ["-L", sock, "kill-server"]);
    } catch {
      /* already gone */
    }
  }
}

function viaTmuxSpawn() {
  const sock = `sbbench${process.pid}`;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sb-tmux-"));
  const out = path.join(dir, "received.txt");
  const tmux = (...args: string[]) => execFileSync("tmux", ["-L", sock, ...args]);
  tmux("new-session", "-d", "-s", "bench", "-x", "200", "-y", "50", `sh -c 'stty -echo; while IFS= read -r l; do echo "$l" >> ${out}; done'`);
  try {
    const t0 = performance.now();
    for (let i = 0; i < K; i++) spawnSync("tmux", ["-L", sock, "send-keys", "-t", "bench", `msg ${i}`, "Enter"]);
    const deadline = Date.now() + TIMEOUT_MS;
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
  const none = { perSecond: Number.NaN, p50: Number.NaN, p99: Number.NaN, lost: 0 };
  const cc = values["api-only"] ? none : await viaTmuxControl();
  const spawned = values["api-only"] ? none : viaTmuxSpawn();
  console.log(`messages=${K} window=${WINDOW} warmup=${WARMUP} api_lost=${api.lost} api_warmup_lost=${api.warmupLost} tmux_cc_lost=${cc.lost} tmux_spawn_lost=${spawned.lost}`);
  const f1 = (v: number) => v.toFixed(1);
  console.log(
    `RESULT api_msgs_per_s=${Math.round(api.perSecond)} tmux_cc_msgs_per_s=${Math.round(cc.perSecond)} tmux_spawn_msgs_per_s=${Math.round(spawned.perSecond)} ` +
      `ratio=${f1(api.perSecond / cc.perSecond)} ratio_spawn=${f1(api.perSecond / spawned.perSecond)} api_p50_ms=${f1(api.p50)} api_p99_ms=${f1(api.p99)} ` +
      `tmux_cc_p50_ms=${f1(cc.p50)} tmux_cc_p99_ms=${f1(cc.p99)} lost=${api.lost}`,
  );
  process.exit(api.lost === 0 ? 0 : 1);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
